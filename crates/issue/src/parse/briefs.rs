//! Sector briefs: sector, headline, (value, label) stat pairs, then a run of (title,
//! body, `Source: NAME`) stories up to `Hidden Signal` and its paragraph. A brief is
//! read where this shape fits; one that does not fit is read again line by line from
//! its start, to say where it breaks.
//!
//! Where the stats end and the stories begin is decided by position alone: the first
//! story's source sits an even number of lines after the sector name, and the run of
//! stories from two lines above it must reach a `Hidden Signal` ([`Chains`]). The
//! earliest such source wins. Everything here is computed once, in one pass from the end,
//! so asking "does a brief start at line `at`?" costs O(1) wherever it is asked (the
//! insights ask it too: a brief's stat may read `~12min`).

use super::*;

const NONE: u32 = u32::MAX;

/// What a brief's shape puts where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct BriefLayout {
    /// The first story's title; the stats run from two lines after the name up to here.
    pub stories_at: usize,
    /// The `Hidden Signal` line; its paragraph is the line after.
    pub signal_at: usize,
}

/// The brief shapes of lines `from..n`.
pub(super) struct BriefShapes {
    from: usize,
    /// For each line, the earliest line at an even distance from it that is the source
    /// of a first story (a run of stories from two lines above reaches a marker).
    first_source: Vec<u32>,
    /// For each line, the first `Hidden Signal` at or after it that cannot be a story's
    /// title or body (no source line one or two lines below it): no brief's stories run
    /// past it.
    next_signal: Vec<u32>,
    /// Source lines before each line (from `from`).
    sources_before: Vec<u32>,
    /// Lines before each line (from `from`) that are a known sector's name or a line of
    /// some block's structure.
    foreign_before: Vec<u32>,
    /// For each line `k`, the (value, label) pairs at `k`, `k - 2`, `k - 4`, … that are
    /// too long to be stats.
    bad_stats_to: Vec<u32>,
    chains: Chains,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE)
}

impl BriefShapes {
    pub(super) fn new<'a>(n: usize, line: impl Fn(usize) -> Option<&'a str>, from: usize) -> Self {
        let chains = Chains::new(n, &line, from, |l| l == HIDDEN_SIGNAL);
        let len = n.saturating_sub(from);
        let is_source = |i: usize| line(i).and_then(source_line).is_some();

        let mut first_source = vec![NONE; len];
        let mut next_signal = vec![count(n); len];
        for i in (from..n).rev() {
            let k = i - from;
            let starts_stories =
                i >= from + 2 && is_source(i) && chains.end(i - 2).is_some_and(|end| end > i - 2);
            first_source[k] = if starts_stories {
                count(i)
            } else {
                first_source.get(k + 2).copied().unwrap_or(NONE)
            };
            let ends_briefs =
                line(i) == Some(HIDDEN_SIGNAL) && !is_source(i + 1) && !is_source(i + 2);
            next_signal[k] = if ends_briefs {
                count(i)
            } else {
                next_signal.get(k + 1).copied().unwrap_or(count(n))
            };
        }

        let mut sources_before = Vec::with_capacity(len + 1);
        let mut foreign_before = Vec::with_capacity(len + 1);
        let (mut sources, mut foreign) = (0u32, 0u32);
        for i in from..n {
            sources_before.push(sources);
            foreign_before.push(foreign);
            let text = line(i).unwrap_or_default();
            sources += u32::from(is_source(i));
            foreign += u32::from(Sector::known(text).is_some() || structural_block(text).is_some());
        }
        sources_before.push(sources);
        foreign_before.push(foreign);

        let mut bad_stats_to = vec![0u32; len];
        for i in from..n {
            let k = i - from;
            let value = line(i).unwrap_or_default();
            let label = line(i + 1).unwrap_or_default();
            let bad = value.chars().count() > MAX_STAT_VALUE
                || looks_like_paragraph(value)
                || label.chars().count() > MAX_STAT_LABEL;
            let before = if k >= 2 { bad_stats_to[k - 2] } else { 0 };
            bad_stats_to[k] = before + u32::from(bad);
        }

        BriefShapes {
            from,
            first_source,
            next_signal,
            sources_before,
            foreign_before,
            bad_stats_to,
            chains,
        }
    }

    fn get(values: &[u32], index: usize) -> Option<usize> {
        match *values.get(index)? {
            NONE => None,
            value => Some(value as usize),
        }
    }

    /// The layout of a brief whose sector name is line `at`, if its shape fits. A stat
    /// pair (value, `Source: X`) has the shape of a story that lost its body, so the
    /// stats hold no source line.
    pub(super) fn layout(&self, at: usize) -> Option<BriefLayout> {
        let k = at.checked_sub(self.from)?;
        let source = Self::get(&self.first_source, k + 4)?;
        let stop = Self::get(&self.next_signal, k + 2)?;
        if source >= stop {
            return None;
        }
        let stories_at = source - 2;
        let sources_in_stats =
            self.sources_before[stories_at - self.from] - self.sources_before[k + 2];
        if sources_in_stats > 0 {
            return None;
        }
        Some(BriefLayout {
            stories_at,
            signal_at: self.chains.end(stories_at)?,
        })
    }

    /// Whether every stat of the brief at `at` is short enough to be a stat.
    pub(super) fn stats_fit(&self, at: usize, layout: BriefLayout) -> bool {
        let k = at - self.from;
        let last_pair = layout.stories_at - self.from;
        // Pairs at k + 2, k + 4, …, last_pair - 2.
        last_pair < k + 4 || self.bad_stats_to[last_pair - 2] == self.bad_stats_to[k]
    }

    /// Whether a known sector's name (the start of the next brief) or a line of some
    /// block's structure stands where the brief at `at` has its headline or stats. A
    /// brief of an unknown sector is only recognised by its shape, so it holds neither.
    pub(super) fn foreign_inside(&self, at: usize, layout: BriefLayout) -> bool {
        let k = at - self.from;
        self.foreign_before[layout.stories_at - self.from] > self.foreign_before[k + 1]
    }
}

impl<'a> Parser<'a> {
    /// The brief shapes, computed on first use from the current line on.
    pub(super) fn briefs(&mut self) -> &BriefShapes {
        let from = self.pos;
        let lines = &self.lines;
        self.briefs.get_or_insert_with(|| {
            BriefShapes::new(lines.len(), |i| lines.get(i).map(|&(_, text)| text), from)
        })
    }

    /// Whether a whole sector brief starts at `at`: a known sector's name or a short
    /// unknown one, then headline, stats that are short and, for an unknown sector, hold
    /// no known sector's name or line of structure, then sourced stories up to `Hidden
    /// Signal`.
    pub(super) fn brief_fits(&mut self, at: usize) -> bool {
        let Some(name) = self.line(at) else {
            return false;
        };
        let known = Sector::known(name).is_some();
        if !known
            && (structural_block(name).is_some()
                || name.chars().count() > 60
                || looks_like_paragraph(name))
        {
            return false;
        }
        let briefs = self.briefs();
        briefs.layout(at).is_some_and(|layout| {
            briefs.stats_fit(at, layout) && (known || !briefs.foreign_inside(at, layout))
        })
    }

    /// Why the stat pair at `i` is not one: a stat is a short figure and a short label.
    pub(super) fn stat_error(&self, i: usize, block: Block) -> Option<Error> {
        let value = self.line(i).unwrap_or_default();
        let label = self.line(i + 1).unwrap_or_default();
        if value.chars().count() > MAX_STAT_VALUE || looks_like_paragraph(value) {
            return Some(self.error(i, block, "a stat's value (a short figure such as $40B)"));
        }
        if label.chars().count() > MAX_STAT_LABEL {
            return Some(self.error(i + 1, block, "a stat's label (a short phrase)"));
        }
        None
    }

    pub(super) fn at_sector_brief(&mut self) -> bool {
        // A known sector starts a brief even when the brief is broken: say where.
        let known = self.line(self.pos).and_then(Sector::known).is_some();
        known || self.brief_fits(self.pos)
    }

    pub(super) fn sector_brief(&mut self) -> Result<SectorBrief> {
        let block = Block::SectorBriefs;
        let at = self.pos;
        let name = self.line(at).unwrap_or_default();
        let briefs = self.briefs();
        // Stats too long to be stats are a story out of place: say where, line by line.
        let Some(layout) = briefs
            .layout(at)
            .filter(|&layout| briefs.stats_fit(at, layout))
        else {
            return Err(self.brief_error(at));
        };
        let sector = Sector::from(name);
        if !sector.is_known() {
            self.warn(at, block, format!("unknown sector {:?}", shorten(name)));
        }
        // The shape fits: headline, stats, titles, bodies and the signal are free text.
        let headline = self.free(at + 1);
        let stats = (at + 2..layout.stories_at)
            .step_by(2)
            .map(|i| Stat {
                value: self.free(i),
                label: self.free(i + 1),
            })
            .collect();
        let stories = self.stories_between(layout.stories_at, layout.signal_at);
        let hidden_signal =
            self.last_paragraph(layout.signal_at + 1, block, "the hidden-signal paragraph")?;
        // The next brief's sector where the paragraph should be: the paragraph is missing.
        if Sector::known(&hidden_signal).is_some() {
            return Err(self.error(layout.signal_at + 1, block, "the hidden-signal paragraph"));
        }
        self.pos = layout.signal_at + 2;
        Ok(SectorBrief {
            sector,
            headline,
            stats,
            stories,
            hidden_signal,
        })
    }

    /// Why the brief at `at` does not fit its shape, read line by line from its start.
    pub(super) fn brief_error(&self, at: usize) -> Error {
        let block = Block::SectorBriefs;
        let explained = (|| -> Result<()> {
            let name = self.line(at).unwrap_or_default();
            self.slot(at + 1, block, "the brief's headline", brief_anchor)?;
            // Stats run up to the first story, the title two lines above the first source.
            let first_source = (at + 2..)
                .find(|&i| match self.line(i) {
                    Some(line) => line.starts_with(SOURCE_PREFIX) || line == HIDDEN_SIGNAL,
                    None => true,
                })
                .unwrap_or(at + 2);
            if self.line(first_source).and_then(source_line).is_none() || first_source < at + 4 {
                return Err(self.error(
                    first_source,
                    block,
                    format!("a story for {name} (title, body, \"Source: NAME\")"),
                ));
            }
            let stats_end = first_source - 2;
            if (stats_end - (at + 2)) % 2 == 1 {
                return Err(self.error(
                    stats_end - 1,
                    block,
                    format!("stats for {name} as pairs of lines (value, label), then the stories"),
                ));
            }
            for i in (at + 2..stats_end).step_by(2) {
                if let Some(error) = self.stat_error(i, block) {
                    return Err(error);
                }
            }
            let signal_at = self.sourced_stories(stats_end, block, |line| line == HIDDEN_SIGNAL)?;
            self.slot(
                signal_at + 1,
                block,
                "the hidden-signal paragraph",
                brief_anchor,
            )?;
            Ok(())
        })();
        explained.err().unwrap_or_else(|| {
            self.error(
                at,
                block,
                "a sector brief (sector, headline, stats, stories with sources, Hidden Signal)",
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shapes(lines: &[&str]) -> BriefShapes {
        BriefShapes::new(lines.len(), |i| lines.get(i).copied(), 0)
    }

    #[test]
    fn stats_run_up_to_the_first_story_that_reaches_the_signal() {
        let lines = [
            "Energy",
            "Headline",
            "$26M",
            "Label",
            "Source: a title",
            "Body",
            "Source: A",
            "Hidden Signal",
            "Para",
        ];
        let shapes = shapes(&lines);
        let layout = shapes.layout(0).unwrap();
        assert_eq!(
            layout,
            BriefLayout {
                stories_at: 4,
                signal_at: 7
            }
        );
        assert!(shapes.stats_fit(0, layout));
        assert!(!shapes.foreign_inside(0, layout));
    }

    #[test]
    fn a_source_among_the_stats_is_a_story_out_of_place() {
        let lines = [
            "Energy",
            "Headline",
            "Title",
            "Source: A",
            "Title",
            "Body",
            "Source: B",
            "Hidden Signal",
            "Para",
        ];
        assert_eq!(shapes(&lines).layout(0), None);
    }

    #[test]
    fn long_stats_do_not_fit() {
        let long = "A paragraph that ends like a sentence.";
        let lines = [
            "Energy",
            "Headline",
            long,
            "Label",
            "Title",
            "Body",
            "Source: A",
            "Hidden Signal",
            "Para",
        ];
        let shapes = shapes(&lines);
        let layout = shapes.layout(0).unwrap();
        assert!(!shapes.stats_fit(0, layout));
    }
}
