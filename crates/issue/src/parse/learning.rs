//! Resources (`LEVEL KIND`, title, description, URL) and learning paths (`LEVEL Title`,
//! numbered steps with duration and URL, `After this: …`).

use super::*;

impl<'a> Parser<'a> {
    /// Whether a whole first step of a learning path follows a path header at `at`.
    pub(super) fn path_fits(&self, at: usize) -> bool {
        self.line(at).and_then(path_header).is_some()
            && self
                .line(at + 1)
                .and_then(step_line)
                .is_some_and(|(n, _)| n == 1)
            && self.line(at + 2).and_then(parse_duration).is_some()
            && self.line(at + 3).is_some_and(is_url)
            && self
                .line(at + 4)
                .is_some_and(|l| step_line(l).is_some() || l.starts_with(AFTER_THIS))
    }

    pub(super) fn at_resource(&self) -> bool {
        let at = self.pos;
        // `Beginner Foundations` then `1. …` starts a learning path, unless the resource's
        // URL sits in its place (the title reads like a step) and no whole step follows.
        self.line(at).and_then(resource_header).is_some()
            && !self.path_fits(at)
            && (self.line(at + 3).is_some_and(is_url)
                || self.line(at + 1).and_then(step_line).is_none())
    }

    pub(super) fn resource(&mut self) -> Result<Resource> {
        let block = Block::Resources;
        let at = self.pos;
        let (level, kind) = self
            .line(at)
            .and_then(resource_header)
            .ok_or_else(|| self.error(at, block, "LEVEL KIND (\"Intermediate Tool\")"))?;
        let Some(url) = self.line(at + 3).filter(|l| is_url(l)) else {
            let shifted = |line: &str| is_url(line) || resource_header(line).is_some();
            self.slot(at + 1, block, "the resource's title", shifted)?;
            self.slot(at + 2, block, "the resource's description", shifted)?;
            return Err(self.error(at + 3, block, "the resource's URL (https://…)"));
        };
        // The URL settles the group: the title and description are free text.
        self.pos = at + 4;
        Ok(Resource {
            level,
            kind,
            title: self.free(at + 1),
            description: self.free(at + 2),
            url: url.to_string(),
        })
    }

    pub(super) fn at_learning_path(&self) -> bool {
        self.line(self.pos).and_then(path_header).is_some()
            && self.line(self.pos + 1).and_then(step_line).is_some()
    }

    pub(super) fn learning_path(&mut self) -> Result<LearningPath> {
        let block = Block::LearningPaths;
        let at = self.pos;
        let (level, title) = self
            .line(at)
            .and_then(path_header)
            .ok_or_else(|| self.error(at, block, "LEVEL and the path's title"))?;
        let mut steps = Vec::new();
        let mut i = at + 1;
        while let Some((n, text)) = self.line(i).and_then(step_line) {
            let expected = steps.len() as u32 + 1;
            if n != expected {
                return Err(self.error(i, block, format!("step \"{expected}. …\"")));
            }
            let minutes = self.line(i + 1).and_then(parse_duration).ok_or_else(|| {
                self.error(
                    i + 1,
                    block,
                    "a duration (30 min, 1 hour, 1h 30m, 1.5 hours)",
                )
            })?;
            let url = self
                .line(i + 2)
                .filter(|l| is_url(l))
                .ok_or_else(|| self.error(i + 2, block, "the step's URL (https://…)"))?;
            steps.push(PathStep {
                n,
                text: text.to_string(),
                minutes,
                url: url.to_string(),
            });
            i += 3;
        }
        let outcome = self
            .line(i)
            .and_then(|l| l.strip_prefix(AFTER_THIS))
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .ok_or_else(|| {
                let next = steps.len() + 1;
                self.error(
                    i,
                    block,
                    format!("step \"{next}. …\" or \"After this: outcome\""),
                )
            })?;
        self.pos = i + 1;
        Ok(LearningPath {
            level,
            title: title.to_string(),
            steps,
            outcome: outcome.to_string(),
        })
    }
}
