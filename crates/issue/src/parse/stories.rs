//! The masthead, the top stories and the insights, and where each of them ends: a
//! block's group is read only where its anchors fit, and when two readings fit the
//! same lines (an insight titled `#21`, a brief's stat `~12min`) the one whose next
//! lines fit too wins.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn masthead(&self, lines: &[&'a str]) -> Result<(String, String, usize)> {
        let error = |index: usize, expected: &str| Error::Format {
            path: self.path.to_path_buf(),
            line: index + 1,
            block: Block::Masthead,
            expected: expected.to_string(),
            found: lines
                .get(index)
                .map_or_else(|| "end of file".to_string(), |l| shorten(l)),
        };
        if lines.first().map(|l| l.trim()) != Some(ALL_POSTS) {
            return Err(error(0, "\"← All posts\""));
        }
        let mut paragraphs: Vec<String> = Vec::new();
        let mut index = 1;
        loop {
            let blank_start = index;
            while lines.get(index).is_some_and(|l| l.trim().is_empty()) {
                index += 1;
            }
            let Some(line) = lines.get(index).map(|l| l.trim()) else {
                return Err(error(index, "\"Subscribe free All posts\""));
            };
            if line == SUBSCRIBE {
                if paragraphs.len() < 2 {
                    let what = if paragraphs.is_empty() {
                        "the headline"
                    } else {
                        "the summary paragraph, after a blank line"
                    };
                    return Err(error(index, what));
                }
                if index == blank_start {
                    return Err(error(
                        index,
                        "a blank line before \"Subscribe free All posts\"",
                    ));
                }
                let headline = paragraphs.remove(0);
                return Ok((headline, paragraphs.join("\n\n"), index + 1));
            }
            if index == blank_start {
                return Err(error(index, "a blank line between masthead paragraphs"));
            }
            // A masthead paragraph is followed by a blank line: `#1` followed by a title is
            // the first top story, and the subscribe line before it is missing.
            let next_is_blank = lines.get(index + 1).is_some_and(|l| l.trim().is_empty());
            if rank_line(line).is_some() && !next_is_blank {
                return Err(error(index, "\"Subscribe free All posts\""));
            }
            paragraphs.push(line.to_string());
            index += 1;
        }
    }

    /// Whether a whole top story (`#N`, title, summary, tag run, score) starts at `at`.
    pub(super) fn story_fits(&self, at: usize) -> bool {
        self.line(at).and_then(rank_line).is_some()
            && self.line(at + 2).is_some()
            && self.line(at + 3).is_some_and(|l| tags::split(l).is_ok())
            && self.line(at + 4).and_then(score_line).is_some()
    }

    /// Whether an insight's minute mark sits where an insight starting at `at` puts it.
    pub(super) fn insight_fits(&self, at: usize) -> bool {
        self.line(at + 2).and_then(minute_mark).is_some()
    }

    pub(super) fn top_stories(&mut self) -> Result<Vec<TopStory>> {
        let block = Block::TopStories;
        let mut stories = Vec::new();
        loop {
            let expected_rank = stories.len() as u32 + 1;
            let at = self.pos;
            // The next block's shape: an insight (its title may read `#21`) or a later
            // block (a brief's stat, a resource's title may read `#3`).
            let after_stories =
                !stories.is_empty() && (self.insight_fits(at) || self.later_block_fits(at));
            match self.line(at).and_then(rank_line) {
                Some(rank) if after_stories && !self.story_wins(at, rank == expected_rank) => {
                    return Ok(stories)
                }
                Some(rank) if rank == expected_rank => {}
                Some(_) => return Err(self.error(at, block, format!("\"#{expected_rank}\""))),
                None if stories.is_empty() => {
                    return Err(self.error(at, block, "\"#1\", the first top story"))
                }
                // A story just ahead means this story's own rank line is missing.
                None if !after_stories
                    && (at + 1..=at + 5).any(|i| self.story_ahead(i, expected_rank)) =>
                {
                    return Err(self.error(at, block, format!("\"#{expected_rank}\"")))
                }
                None => return Ok(stories),
            }
            let tag_run = self.line(at + 3).unwrap_or_default();
            let split = tags::split(tag_run);
            let score = self.line(at + 4).and_then(score_line);
            let (Ok(split), Some(score), Some(_)) = (split, score, self.line(at + 2)) else {
                return Err(self.story_error(at));
            };
            // The group fits: the title and summary are whatever their lines say.
            let (title, summary) = (self.free(at + 1), self.free(at + 2));
            self.warn_unknown_tags(at + 3, tag_run, &split);
            stories.push(TopStory {
                rank: expected_rank,
                title,
                summary,
                sectors: split.sectors,
                regions: split.regions,
                score,
            });
            self.pos = at + 5;
        }
    }

    /// One warning for each unknown tag of a tag run, up to [`MAX_WARNINGS_PER_LINE`], each
    /// quoting the run cut to [`MAX_QUOTED_CHARS`]: linear in the run, however many tags.
    pub(super) fn warn_unknown_tags(&mut self, index: usize, tag_run: &str, tags: &tags::Tags) {
        let quoted = shorten(tag_run);
        let unknown = tags.unknown().count();
        let listed = if unknown > MAX_WARNINGS_PER_LINE {
            MAX_WARNINGS_PER_LINE - 1
        } else {
            unknown
        };
        for (name, as_sector) in tags.unknown().take(listed) {
            let kind = if as_sector { "sector" } else { "region" };
            let name = shorten(name);
            self.warn(
                index,
                Block::TopStories,
                format!("unknown tag {name:?} in {quoted:?}, kept as a {kind}"),
            );
        }
        if listed < unknown {
            let more = unknown - listed;
            self.warn(
                index,
                Block::TopStories,
                format!(
                    "{more} more unknown tags in {quoted:?}, kept as sectors or regions, \
                     not listed (at most {MAX_WARNINGS_PER_LINE} warnings a line)"
                ),
            );
        }
    }

    /// Whether the top story at `at`, whose rank is due when `due`, is read rather than
    /// the insight or later block that fits there too: it must fit, and when only one of
    /// the two readings goes on past its group, that one wins.
    pub(super) fn story_wins(&mut self, at: usize, due: bool) -> bool {
        if !due || !self.story_fits(at) {
            return false;
        }
        let after = at + 5;
        let story_goes_on = self.line(after).is_none_or(|l| rank_line(l).is_some())
            || self.insight_fits(after)
            || self.later_block_fits(after);
        let insight_goes_on =
            self.insight_fits(at) && (self.insight_fits(at + 3) || self.later_block_fits(at + 3));
        story_goes_on || !insight_goes_on
    }

    /// Whether line `i` starts a top story: a whole one, or the rank due next.
    pub(super) fn story_ahead(&self, i: usize, expected_rank: u32) -> bool {
        match self.line(i).and_then(rank_line) {
            Some(rank) => rank == expected_rank || rank == expected_rank + 1 || self.story_fits(i),
            None => false,
        }
    }

    /// Why the top story at `at` does not fit: its first line out of shape.
    pub(super) fn story_error(&self, at: usize) -> Error {
        let block = Block::TopStories;
        let rank = |line: &str| rank_line(line).is_some();
        if let Err(error) = self
            .slot(at + 1, block, "the story's title", rank)
            .and_then(|()| self.slot(at + 2, block, "the story's summary", rank))
        {
            return error;
        }
        if self
            .line(at + 3)
            .is_none_or(|line| tags::split(line).is_err())
        {
            return self.error(
                at + 3,
                block,
                "a tag run of sectors and regions (TechUSJapan)",
            );
        }
        self.error(at + 4, block, "a score (an integer 0–100)")
    }

    pub(super) fn insights(&mut self) -> Result<Vec<Insight>> {
        let mut insights = Vec::new();
        // The minute marks settle the groups: titles and paragraphs are free text. The
        // run of groups with a minute mark in place may go too far and take a later
        // block with a line that reads `~12min` (a brief's first stat, a resource's
        // description). A whole brief of a known sector always ends the insights;
        // another block does when the run, read to its end, is not followed by what
        // may follow insights.
        let mut run_end = self.pos;
        while self.insight_fits(run_end) {
            run_end += 3;
        }
        let run_ends_well = self.line(run_end).is_none()
            || self.later_block_fits(run_end)
            || self.brief_fits(run_end)
            || self.tail_fits(run_end);
        while let Some(minute) = self.line(self.pos + 2).and_then(minute_mark) {
            let at = self.pos;
            if self.known_sector_brief_fits(at) || (!run_ends_well && self.later_block_fits(at)) {
                break;
            }
            insights.push(Insight {
                title: self.free(at),
                body: self.free(at + 1),
                minute,
            });
            self.pos = at + 3;
        }
        Ok(insights)
    }

    /// Whether the lines from `at` can be the closing and the trend indicators: no line
    /// of structure, unless the first is a paragraph (the closing may begin like one).
    fn tail_fits(&self, at: usize) -> bool {
        let mut rest = (at..self.lines.len()).filter_map(|i| self.line(i));
        let first_fits = rest.next().is_none_or(fits_last_paragraph);
        first_fits && rest.all(|line| structural_block(line).is_none())
    }

    /// Whether a block after the insights starts at `at` with its own shape: a whole
    /// brief of a known sector (an unknown sector's name is only a short line, which an
    /// insight keeps), a resource, a learning path, or a regional watch whose first
    /// story has its source.
    pub(super) fn later_block_fits(&mut self, at: usize) -> bool {
        let resource = self.line(at).and_then(resource_header).is_some()
            && self.line(at + 3).is_some_and(is_url);
        let watch = self.line(at).and_then(watch_header).is_some()
            && self.line(at + 4).and_then(source_line).is_some();
        resource || watch || self.path_fits(at) || self.known_sector_brief_fits(at)
    }

    /// Whether a whole brief of a known sector starts at `at`.
    pub(super) fn known_sector_brief_fits(&mut self, at: usize) -> bool {
        self.line(at).and_then(Sector::known).is_some() && self.brief_fits(at)
    }
}
