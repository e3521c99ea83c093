//! How the engine's values read on a page, and the small links every page uses.

use backissue_engine::document::Section;
use maud::{html, Markup};

use super::urls::{issue_path, story_path};

/// A section as a reader says it: `Top story`, `Hidden signal`.
pub fn section_label(section: Section) -> &'static str {
    match section {
        Section::TopStory => "Top story",
        Section::SectorStory => "Sector story",
        Section::RegionalStory => "Regional story",
        Section::Insight => "Insight",
        Section::HiddenSignal => "Hidden signal",
        Section::Resource => "Resource",
        Section::LearningPath => "Learning path",
    }
}

/// A link to issue `issue_id`, reading `text` (usually its date).
pub fn date_link(issue_id: &str, text: &str) -> Markup {
    html! { a href=(issue_path(issue_id)) { (text) } }
}

/// A link to the story page of `id`, reading `title`.
pub fn story_link(id: &str, title: &str) -> Markup {
    html! { a href=(story_path(id)) { (title) } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_escaped() {
        assert_eq!(
            story_link("2026-03-27/top/2", "<b>").into_string(),
            "<a href=\"/stories/2026-03-27/top/2\">&lt;b&gt;</a>"
        );
        assert_eq!(
            date_link("2026-03-27", "27 March").into_string(),
            "<a href=\"/issues/2026-03-27\">27 March</a>"
        );
    }
}
