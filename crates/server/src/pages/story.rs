//! The story page: the story, where it sits in its issue, its other tellings in that
//! issue, its storyline, the related stories with their one-line why, and resources
//! to learn more, grouped by level.

use backissue_engine::related::RelatedStories;
use backissue_engine::resources::{Listing, ResourceEntry};
use backissue_engine::Document;
use maud::{html, Markup};

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
pub fn render(view: &StoryView<'_>) -> Markup {
    let doc = view.doc;
    html! {
        nav class="crumbs" aria-label="Breadcrumb" {
            (date_link(&doc.issue_id, &format!("Issue of {}", doc.date)))
            " › "
            (section_label(doc.section))
            @if let Some(place) = place(doc) {
                " · " (place)
            }
        }
        article class="story" {
            h1 { (doc.title) }
            p class="meta" { (meta(doc)) }
            @for paragraph in doc.body.split('\n').filter(|p| !p.trim().is_empty()) {
                // One paragraph a line in the page's source, as in the issue.
                p { (paragraph) } "\n"
            }
            @if let Some(url) = doc.url.as_deref().filter(|u| is_web_link(u)) {
                p { a class="out" href=(url) rel="noopener" { (url) } }
            }
        }
        (render_copies(&view.copies))
        @if let Some(related) = &view.related {
            (render_storyline(doc, view.storyline_subject.as_deref(), related))
            (render_related(related))
        }
        @if let Some(resources) = &view.resources {
            (render_resources(resources))
        }
    }
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
    let mut parts = vec![doc.date.to_string()];
    let tags: Vec<String> = doc
        .sectors
        .iter()
        .map(ToString::to_string)
        .chain(doc.regions.iter().map(ToString::to_string))
        .collect();
    if !tags.is_empty() {
        parts.push(tags.join(", "));
    }
    if let Some(source) = &doc.source {
        parts.push(format!("via {}", source.as_str()));
    }
    if let Some(score) = doc.score {
        parts.push(format!("editor's score {score}"));
    }
    if let Some(level) = doc.level {
        parts.push(level.as_str().to_string());
    }
    if let Some(kind) = &doc.kind {
        parts.push(kind.as_str().to_string());
    }
    parts.join(" · ")
}

fn render_copies(copies: &[&Document]) -> Markup {
    html! {
        @if !copies.is_empty() {
            section class="copies" {
                h2 { "Also told in this issue" }
                ul {
                    @for copy in copies {
                        li {
                            (story_link(&copy.id, &copy.title))
                            " "
                            span class="meta" {
                                (section_label(copy.section))
                                @if let Some(place) = place(copy) {
                                    " · " (place)
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn render_storyline(doc: &Document, subject: Option<&str>, related: &RelatedStories) -> Markup {
    html! {
        @if related.storyline.len() >= 2 {
            section class="storyline" {
                h2 {
                    @match subject {
                        Some(subject) => { "The " (subject) " storyline" },
                        None => "The storyline",
                    }
                }
                ol class="timeline" {
                    @for step in &related.storyline {
                        // The story itself, or the copy of its event the storyline shows.
                        @if step.id == doc.id || step.id == doc.event_id {
                            li aria-current="step" {
                                time { (step.date.to_string()) } " " strong { (step.title) }
                            }
                        } @else {
                            li {
                                time { (step.date.to_string()) } " " (story_link(&step.id, &step.title))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn render_related(related: &RelatedStories) -> Markup {
    html! {
        section class="related" {
            h2 { "Related stories" }
            @if related.related.is_empty() {
                p class="empty" { "No story from another issue is close to this one." }
            } @else {
                ol class="related-list" {
                    @for story in &related.related {
                        li {
                            (story_link(&story.id, &story.title))
                            p class="meta" {
                                (date_link(&story.issue_id, &story.date.to_string()))
                                " · "
                                (section_label(story.section))
                            }
                            // The why ends with how far apart the stories are.
                            p class="why" { (story.why) }
                        }
                    }
                }
            }
        }
    }
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
        })
        .into_string();
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
        })
        .into_string();
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
        })
        .into_string();
        assert!(html.contains("No story from another issue is close to this one."));
        assert!(!html.contains("storyline"));
        assert!(!html.contains("Also told"));
    }

    /// Pins maud's escaping: were a value spliced unescaped, a script would run.
    #[test]
    fn a_hostile_story_stays_text_on_the_whole_page() {
        let mut doc = document(
            "2026-03-27/top/2",
            Section::TopStory,
            "</title><script>alert(1)</script>",
        );
        doc.body = "<img src=x onerror=alert(2)>".into();
        doc.url = Some("https://example.com/\"><script>alert(3)</script>".into());
        let view = StoryView {
            doc: &doc,
            copies: Vec::new(),
            storyline_subject: None,
            related: None,
            resources: None,
        };
        let page = crate::pages::layout::Page::new(doc.title.clone(), None, render(&view))
            .render()
            .into_string();
        assert!(!page.contains("<script"), "{page}");
        assert!(!page.contains("<img"), "{page}");
        assert!(page.contains(
            "<title>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt; · backissue</title>"
        ));
        assert!(page.contains("<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>"));
        assert!(page.contains("<p>&lt;img src=x onerror=alert(2)&gt;</p>"));
        assert!(page.contains(
            "href=\"https://example.com/&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;\""
        ));
    }
}
