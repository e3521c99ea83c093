//! The story page: the story, where it sits in its issue, its other tellings in that
//! issue, its storyline, the related stories with their one-line why, and resources
//! to learn more, grouped by level.

use std::fmt::Write as _;

use backissue_engine::related::RelatedStories;
use backissue_engine::resources::{Listing, ResourceEntry};
use backissue_engine::Document;

use super::html::escape;
use super::labels::{date_link, section_label, story_link};
use super::resources::render_resources;
use super::search::is_web_link;

/// Everything the story page shows.
#[derive(Debug, Clone)]
pub struct StoryView<'a> {
    /// The document.
    pub doc: &'a Document,
    /// The other documents of its event in the same issue.
    pub copies: Vec<&'a Document>,
    /// The storyline's subject, when the story is part of one.
    pub storyline_subject: Option<String>,
    /// Its storyline and related stories (stories only).
    pub related: Option<RelatedStories>,
    /// Resources for it, by level (stories only).
    pub resources: Option<Listing<ResourceEntry>>,
}

/// The `<main>` of the story page.
pub fn render(view: &StoryView<'_>) -> String {
    let doc = view.doc;
    let mut out = String::with_capacity(8 * 1024);
    let _ = writeln!(
        out,
        "<nav class=\"crumbs\" aria-label=\"Breadcrumb\">{} › {}{}</nav>\n\
         <article class=\"story\">\n<h1>{}</h1>\n<p class=\"meta\">{}</p>",
        date_link(&doc.issue_id, &format!("Issue of {}", doc.date)),
        section_label(doc.section),
        place(doc)
            .map(|p| format!(" · {}", escape(&p)))
            .unwrap_or_default(),
        escape(&doc.title),
        meta(doc),
    );
    for paragraph in doc.body.split('\n').filter(|p| !p.trim().is_empty()) {
        let _ = writeln!(out, "<p>{}</p>", escape(paragraph));
    }
    if let Some(url) = doc.url.as_deref().filter(|u| is_web_link(u)) {
        let _ = writeln!(
            out,
            "<p><a class=\"out\" href=\"{}\" rel=\"noopener\">{}</a></p>",
            escape(url),
            escape(url)
        );
    }
    out.push_str("</article>\n");
    render_copies(view, &mut out);
    if let Some(related) = &view.related {
        render_storyline(doc, view.storyline_subject.as_deref(), related, &mut out);
        render_related(related, &mut out);
    }
    if let Some(resources) = &view.resources {
        render_resources(resources, &mut out);
    }
    out
}

/// The brief or watch a sector or regional story comes from.
fn place(doc: &Document) -> Option<String> {
    match doc.section {
        backissue_engine::Section::SectorStory => doc.sectors.first().map(ToString::to_string),
        backissue_engine::Section::RegionalStory => {
            doc.regions.first().map(|r| format!("{r} watch"))
        }
        _ => None,
    }
}

/// Tags, source, score, level and kind, as far as the document has them.
fn meta(doc: &Document) -> String {
    let mut parts = vec![escape(&doc.date.to_string())];
    let tags: Vec<String> = doc
        .sectors
        .iter()
        .map(ToString::to_string)
        .chain(doc.regions.iter().map(ToString::to_string))
        .collect();
    if !tags.is_empty() {
        parts.push(escape(&tags.join(", ")));
    }
    if let Some(source) = &doc.source {
        parts.push(format!("via {}", escape(source.as_str())));
    }
    if let Some(score) = doc.score {
        parts.push(format!("editor's score {score}"));
    }
    if let Some(level) = doc.level {
        parts.push(escape(level.as_str()));
    }
    if let Some(kind) = &doc.kind {
        parts.push(escape(kind.as_str()));
    }
    parts.join(" · ")
}

fn render_copies(view: &StoryView<'_>, out: &mut String) {
    if view.copies.is_empty() {
        return;
    }
    out.push_str("<section class=\"copies\"><h2>Also told in this issue</h2><ul>");
    for copy in &view.copies {
        let _ = write!(
            out,
            "<li>{} <span class=\"meta\">{}{}</span></li>",
            story_link(&copy.id, &copy.title),
            section_label(copy.section),
            place(copy)
                .map(|p| format!(" · {}", escape(&p)))
                .unwrap_or_default(),
        );
    }
    out.push_str("</ul></section>\n");
}

fn render_storyline(
    doc: &Document,
    subject: Option<&str>,
    related: &RelatedStories,
    out: &mut String,
) {
    if related.storyline.len() < 2 {
        return;
    }
    let heading = match subject {
        Some(subject) => format!("The {} storyline", escape(subject)),
        None => "The storyline".to_string(),
    };
    let _ = write!(
        out,
        "<section class=\"storyline\"><h2>{heading}</h2><ol class=\"timeline\">"
    );
    for step in &related.storyline {
        // The story itself, or the copy of its event the storyline shows.
        let here = step.id == doc.id || step.id == doc.event_id;
        if here {
            let _ = write!(
                out,
                "<li aria-current=\"step\"><time>{}</time> <strong>{}</strong></li>",
                step.date,
                escape(&step.title)
            );
        } else {
            let _ = write!(
                out,
                "<li><time>{}</time> {}</li>",
                step.date,
                story_link(&step.id, &step.title)
            );
        }
    }
    out.push_str("</ol></section>\n");
}

fn render_related(related: &RelatedStories, out: &mut String) {
    out.push_str("<section class=\"related\"><h2>Related stories</h2>");
    if related.related.is_empty() {
        out.push_str(
            "<p class=\"empty\">No story from another issue is close to this one.</p></section>\n",
        );
        return;
    }
    out.push_str("<ol class=\"related-list\">");
    for story in &related.related {
        let _ = write!(
            out,
            "<li>{}<p class=\"meta\">{} · {}</p><p class=\"why\">{}</p></li>",
            story_link(&story.id, &story.title),
            date_link(&story.issue_id, &story.date.to_string()),
            section_label(story.section),
            // The why ends with how far apart the stories are.
            escape(&story.why),
        );
    }
    out.push_str("</ol></section>\n");
}

#[cfg(test)]
pub(crate) mod tests {
    use backissue_engine::document::Section;
    use backissue_engine::related::{Components, RelatedStory, StoryRef};
    use backissue_engine::resources::{Featured, LevelGroup, Ranked, Signals, Sort, NOTHING_CLOSE};
    use backissue_issue::{Level, ResourceKind};

    use super::*;

    pub(crate) fn document(id: &str, section: Section, title: &str) -> Document {
        let date: backissue_issue::Date = "2026-03-27".parse().unwrap();
        Document {
            id: id.into(),
            issue_id: "2026-03-27".into(),
            date,
            week: date.iso_week(),
            section,
            title: title.into(),
            body: "First <p>.\nSecond.".into(),
            sectors: Vec::new(),
            regions: Vec::new(),
            level: None,
            kind: None,
            source: None,
            url: None,
            score: Some(90),
            steps: Vec::new(),
            event_id: "2026-03-27/top/2".into(),
        }
    }

    fn related_story() -> RelatedStory {
        serde_json::from_value(serde_json::json!({
            "id": "2026-02-06/top/1", "issue_id": "2026-02-06", "date": "2026-02-06",
            "title": "Earlier <i>loan</i>", "section": "top_story", "score": 0.7,
            "why": "shares Lysandra Capital · 7 weeks earlier", "weeks_apart": -7,
            "shared_names": [], "shared_tags": [],
            "components": serde_json::to_value(Components::default()).unwrap()
        }))
        .unwrap()
    }

    #[test]
    fn a_story_shows_its_copies_storyline_related_and_resources() {
        let doc = document(
            "2026-03-27/top/2",
            Section::TopStory,
            "A <script>loan</script>",
        );
        let copy = document(
            "2026-03-27/finance-banking/1",
            Section::SectorStory,
            "The loan, again",
        );
        let step = |id: &str, title: &str| StoryRef {
            id: id.into(),
            date: "2026-02-06".parse().unwrap(),
            title: title.into(),
        };
        let related = RelatedStories {
            story: None,
            storyline_id: Some("x".into()),
            storyline: vec![
                step("2026-02-06/top/1", "First step"),
                step("2026-03-27/top/2", "This"),
            ],
            related: vec![related_story()],
            precomputed: true,
        };
        let entry: ResourceEntry = ResourceEntry {
            url: "javascript:alert(1)".into(),
            urls: vec!["javascript:alert(1)".into()],
            title: "A guide".into(),
            description: "How to <b>".into(),
            level: Level::Beginner,
            levels: vec![Level::Beginner],
            kind: Some(ResourceKind::from("Tool")),
            featured: Featured {
                first_week: "2026-W13".into(),
                last_week: "2026-W13".into(),
                first_date: doc.date,
                last_date: doc.date,
                times_featured: 1,
                issues: vec!["2026-03-27".into()],
                doc_ids: vec!["2026-03-27/resource/1".into()],
            },
        };
        let resources = Listing {
            query: None,
            level: None,
            for_story: Some(step("2026-03-27/top/2", "This")),
            sort: Sort::Relevance,
            offset: 0,
            limit: 3,
            total: 1,
            min_relevance: Some(0.4),
            note: None,
            groups: vec![
                LevelGroup {
                    level: Level::Beginner,
                    total: 1,
                    items: vec![Ranked {
                        item: entry,
                        score: 1.0,
                        signals: Signals::default(),
                    }],
                },
                LevelGroup {
                    level: Level::Advanced,
                    total: 0,
                    items: Vec::new(),
                },
            ],
        };
        let nothing_close = Listing {
            total: 0,
            note: Some(NOTHING_CLOSE.to_string()),
            groups: Vec::new(),
            ..resources.clone()
        };
        let html = render(&StoryView {
            doc: &doc,
            copies: vec![&copy],
            storyline_subject: Some("Lysandra Capital".into()),
            related: Some(related),
            resources: Some(resources),
        });
        assert!(
            html.contains("<h1>A &lt;script&gt;loan&lt;/script&gt;</h1>"),
            "{html}"
        );
        assert!(!html.contains("<script"));
        assert!(html.contains("<p>First &lt;p&gt;.</p>\n<p>Second.</p>"));
        assert!(html.contains("href=\"/stories/2026-03-27/finance-banking/1\">The loan, again</a>"));
        assert!(html.contains("The Lysandra Capital storyline"));
        assert!(html.contains(
            "<li aria-current=\"step\"><time>2026-02-06</time> <strong>This</strong></li>"
        ));
        assert!(html.contains("Earlier &lt;i&gt;loan&lt;/i&gt;</a>"));
        assert!(html.contains("<p class=\"why\">shares Lysandra Capital · 7 weeks earlier</p>"));
        assert!(html.contains("Beginner</span></h3>"));
        assert!(
            !html.contains("Advanced</span></h3>"),
            "empty groups are left out"
        );
        assert!(!html.contains("javascript:"), "only web links become links");
        assert!(html.contains("How to &lt;b&gt;"));

        // Nothing above the floor: no resource, and the reason.
        let html = render(&StoryView {
            doc: &doc,
            copies: Vec::new(),
            storyline_subject: None,
            related: None,
            resources: Some(nothing_close),
        });
        assert!(html.contains("<h2>Learn more</h2><p class=\"empty\">No resource is close enough to this story.</p>"), "{html}");
        assert!(!html.contains("A guide"));
    }

    #[test]
    fn a_story_without_related_stories_says_so() {
        let doc = document("2026-03-27/top/2", Section::TopStory, "Alone");
        let related = RelatedStories {
            story: None,
            storyline_id: None,
            storyline: Vec::new(),
            related: Vec::new(),
            precomputed: false,
        };
        let html = render(&StoryView {
            doc: &doc,
            copies: Vec::new(),
            storyline_subject: None,
            related: Some(related),
            resources: None,
        });
        assert!(html.contains("No story from another issue is close to this one."));
        assert!(!html.contains("storyline"));
        assert!(!html.contains("Also told"));
    }
}
