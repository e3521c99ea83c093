//! Runs of sourced stories: (title, body, `Source: NAME`) triples up to a marker line
//! (`Hidden Signal` in a sector brief, `India Signal` in a regional watch).
//!
//! A story's title and body are free text: they may read `Source: …`, `Hidden Signal`
//! or anything else. Only the positions decide: every third line of the run is a source
//! line, and the run ends at a marker that is not itself the title of a story (a marker
//! with a source line two lines below, and a run that goes on from there, is a title)
//! and that is followed by a line that can be its paragraph.
//!
//! [`Chains`] answers "where does a run starting at line `t` end?" for every `t` in one
//! pass from the end, so trying every possible first story of a block costs O(1) each
//! and the whole parse stays linear in the number of lines.

use super::*;

/// For each line index `t >= from`, the index of the marker that ends a run of stories
/// whose first title is line `t`, if the lines from `t` on have that shape.
pub(super) struct Chains {
    from: usize,
    /// `NONE` where no run starting at that line ends at a marker.
    ends: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Chains {
    /// Computes the ends over lines `from..n`, `line(i)` giving line `i`; `is_marker`
    /// tells the block's marker line.
    pub(super) fn new<'a>(
        n: usize,
        line: impl Fn(usize) -> Option<&'a str>,
        from: usize,
        is_marker: impl Fn(&str) -> bool,
    ) -> Chains {
        let mut ends = vec![NONE; n.saturating_sub(from)];
        for t in (from..n).rev() {
            let third_is_source = line(t + 2).and_then(source_line).is_some();
            let continued = if third_is_source {
                ends.get(t + 3 - from).copied().unwrap_or(NONE)
            } else {
                NONE
            };
            // A marker ends the run unless it is a story's title: a source two lines
            // below it and a run that goes on to a marker of its own.
            let ends_here = continued == NONE
                && line(t).is_some_and(&is_marker)
                && line(t + 1).is_some_and(fits_last_paragraph);
            ends[t - from] = if ends_here {
                u32::try_from(t).unwrap_or(NONE)
            } else {
                continued
            };
        }
        Chains { from, ends }
    }

    /// The marker ending the run of stories whose first title is line `t`: `Some(t)`
    /// itself when `t` is a marker that ends a run of no stories.
    pub(super) fn end(&self, t: usize) -> Option<usize> {
        let index = t.checked_sub(self.from)?;
        match *self.ends.get(index)? {
            NONE => None,
            end => Some(end as usize),
        }
    }
}

impl<'a> Parser<'a> {
    /// The (title, body, `Source: NAME`) triples from `start` up to the marker at `end`,
    /// whose shape [`Chains`] has checked.
    pub(super) fn stories_between(&self, start: usize, end: usize) -> Vec<SourcedStory> {
        (start..end)
            .step_by(3)
            .map(|t| SourcedStory {
                title: self.free(t),
                body: self.free(t + 1),
                source: Source::from(self.line(t + 2).and_then(source_line).unwrap_or_default()),
            })
            .collect()
    }

    /// Reads (title, body, `Source: NAME`) triples from `start` line by line until
    /// `is_marker` matches a line where a title would be; returns the marker's index.
    /// Explains why a block's run of stories does not fit its shape.
    pub(super) fn sourced_stories(
        &self,
        start: usize,
        block: Block,
        is_marker: impl Fn(&str) -> bool,
    ) -> Result<usize> {
        let shifted =
            |line: &str| source_line(line).is_some() || is_marker(line) || starts_later_block(line);
        let mut at = start;
        loop {
            let third_is_source = self.line(at + 2).and_then(source_line).is_some();
            if !third_is_source && self.line(at).is_some_and(&is_marker) {
                if at == start {
                    return Err(self.error(at, block, "a story (title, body, \"Source: NAME\")"));
                }
                return Ok(at);
            }
            self.slot(at, block, "a story's title", shifted)?;
            self.slot(at + 1, block, "a story's body", shifted)?;
            if !third_is_source {
                return Err(self.error(at + 2, block, "\"Source: NAME\""));
            }
            at += 3;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(lines: &[&str]) -> Vec<Option<usize>> {
        let chains = Chains::new(
            lines.len(),
            |i| lines.get(i).copied(),
            0,
            |l| l == "Hidden Signal",
        );
        (0..lines.len()).map(|t| chains.end(t)).collect()
    }

    #[test]
    fn a_run_ends_at_its_marker() {
        let lines = [
            "Title",
            "Body",
            "Source: A",
            "Title",
            "Body",
            "Source: B",
            "Hidden Signal",
            "Para",
        ];
        assert_eq!(ends(&lines)[0], Some(6));
        assert_eq!(ends(&lines)[3], Some(6));
        assert_eq!(ends(&lines)[1], None);
    }

    #[test]
    fn a_marker_with_a_source_below_it_is_a_title_when_the_run_goes_on() {
        let lines = [
            "Title",
            "Source: not a source, a body",
            "Source: A",
            "Hidden Signal",
            "Body",
            "Source: B",
            "Hidden Signal",
            "Para",
        ];
        assert_eq!(ends(&lines)[0], Some(6));
        // A marker whose "story" would not go on ends the run: the closing may read "Source: …".
        let lines = [
            "Title",
            "Body",
            "Source: A",
            "Hidden Signal",
            "Para",
            "Source: the closing paragraph.",
            "Evidence",
        ];
        assert_eq!(ends(&lines)[0], Some(3));
    }

    #[test]
    fn a_marker_needs_its_paragraph() {
        assert_eq!(ends(&["T", "B", "Source: A", "Hidden Signal"])[0], None);
        // A story titled like a source, with the marker as its body.
        let lines = [
            "Source: Reuters",
            "Hidden Signal",
            "Source: TechCrunch",
            "Hidden Signal",
            "Para",
        ];
        assert_eq!(ends(&lines)[0], Some(3));
    }
}
