//! The regional watch: `REGION AI WATCH`, a summary, sourced stories, `Region Signal`
//! and its paragraph.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn at_regional_watch(&self) -> bool {
        self.line(self.pos).and_then(watch_header).is_some()
    }

    pub(super) fn regional_watch(&mut self) -> Result<RegionalWatch> {
        let block = Block::RegionalWatch;
        let at = self.pos;
        let caps = self.line(at).and_then(watch_header).unwrap_or_default();
        let lines = &self.lines;
        let chains = Chains::new(
            lines.len(),
            |i| lines.get(i).map(|&(_, text)| text),
            at + 2,
            |line| signal_name(line, caps).is_some(),
        );
        let Some(signal_at) = chains.end(at + 2).filter(|&end| end > at + 2) else {
            return Err(self.watch_error(at, caps));
        };
        // The shape fits: the summary, titles, bodies and the signal are free text.
        let name = self
            .line(signal_at)
            .and_then(|line| signal_name(line, caps))
            .unwrap_or(caps);
        let signal = self.last_paragraph(signal_at + 1, block, "the signal paragraph")?;
        let region = Region::from(name);
        if !region.is_known() {
            self.warn(at, block, format!("unknown region {:?}", shorten(name)));
        }
        self.pos = signal_at + 2;
        Ok(RegionalWatch {
            region,
            summary: self.free(at + 1),
            stories: self.stories_between(at + 2, signal_at),
            signal,
        })
    }

    /// Why the regional watch at `at` does not fit its shape, read line by line.
    pub(super) fn watch_error(&self, at: usize, caps: &str) -> Error {
        let block = Block::RegionalWatch;
        let explained = (|| -> Result<()> {
            let is_marker = |line: &str| signal_name(line, caps).is_some();
            let shifted = |line: &str| {
                source_line(line).is_some() || is_marker(line) || starts_later_block(line)
            };
            self.slot(at + 1, block, "the regional watch's summary", shifted)?;
            let signal_at = self.sourced_stories(at + 2, block, is_marker)?;
            self.slot(signal_at + 1, block, "the signal paragraph", shifted)?;
            Ok(())
        })();
        explained.err().unwrap_or_else(|| {
            self.error(
                at,
                block,
                "a regional watch (REGION AI WATCH, summary, stories, Region Signal)",
            )
        })
    }
}
