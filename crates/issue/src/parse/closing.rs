//! The closing paragraph and the trend indicators: whatever no block before took.

use super::*;

impl<'a> Parser<'a> {
    pub(super) fn closing_and_trends(&mut self) -> Result<(Option<String>, Vec<TrendIndicator>)> {
        let start = self.pos;
        let rest: Vec<&str> = (start..self.lines.len())
            .filter_map(|i| self.line(i))
            .collect();
        let has_closing = rest.len() % 2 == 1;
        // Whatever earlier block failed to start lands here, so a line shaped like a
        // block's structure is an error, except the closing paragraph itself: a first
        // paragraph before lines that hold no such line is free text.
        let first_structural = rest.iter().position(|l| structural_block(l).is_some());
        let closing_is_free = first_structural == Some(0)
            && looks_like_paragraph(rest[0])
            && !rest[1..].iter().any(|l| structural_block(l).is_some());
        // A paragraph that begins like a numbered step or a citation (`1. Patients were
        // …`, `Source: a trial …`) is more likely prose that lost its group than the line
        // at fault: name another line of structure first, if there is one.
        let prose = |l: &str| {
            looks_like_paragraph(l) && (step_line(l).is_some() || source_line(l).is_some())
        };
        let at_fault = rest
            .iter()
            .position(|l| structural_block(l).is_some() && !prose(l))
            .or(first_structural);
        if let Some(offset) = at_fault.filter(|_| !closing_is_free) {
            let (block, expected) = structural_block(rest[offset]).unwrap_or((Block::Closing, ""));
            let what = if block == Block::TopStories || block == Block::Insights {
                format!("{expected}, in its place before the sector briefs")
            } else {
                expected.to_string()
            };
            return Err(self.error(start + offset, block, what));
        }
        let Some(first) = rest.first() else {
            return Ok((None, Vec::new()));
        };
        if has_closing && !looks_like_paragraph(first) {
            return Err(self.error(
                start,
                Block::Closing,
                "the closing paragraph, then trend indicators as pairs (evidence, theme)",
            ));
        }
        if !has_closing && looks_like_paragraph(first) {
            return Err(self.error(
                self.lines.len(),
                Block::TrendIndicators,
                "trend indicators as pairs of lines (evidence, theme)",
            ));
        }
        let pairs_start = usize::from(has_closing);
        let trends = rest[pairs_start..]
            .chunks_exact(2)
            .map(|pair| TrendIndicator {
                evidence: pair[0].to_string(),
                theme: pair[1].to_string(),
            })
            .collect();
        self.pos = self.lines.len();
        Ok((has_closing.then(|| first.to_string()), trends))
    }
}
