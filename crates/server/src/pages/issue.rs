//! The issue pages: the list of issues, and one whole issue, readable top to bottom,
//! each story linking to its own page.
//!
//! The whole issue comes from its parsed file when the server could read it (the
//! masthead, stats and closing live only there); otherwise it is rebuilt from the
//! issue's documents, which hold every story, insight, resource and path.

use backissue_engine::{Document, Section};
use backissue_issue::{id, Issue, SourcedStory};
use maud::{html, Markup};

use super::labels::{section_label, story_link};
use super::search::is_web_link;
use super::urls::issue_path;

/// One line of the issue list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueEntry {
    /// The issue id.
    pub id: String,
    /// Its date.
    pub date: String,
    /// The masthead's headline, when the issue file was read.
    pub headline: Option<String>,
    /// Its first top story's title.
    pub lead: Option<String>,
    /// Its documents.
    pub documents: usize,
}

/// The `<main>` of `/issues`: newest first.
pub fn render_list(entries: &[IssueEntry]) -> Markup {
    html! {
        h1 { "Issues" }
        @if entries.is_empty() {
            p class="empty" { "No issue is indexed yet. Run " code { "backissue index" } "." }
        } @else {
            p class="meta" { (entries.len()) " weekly issues, newest first." }
            ol class="issues" reversed {
                @for entry in entries {
                    li {
                        a href=(issue_path(&entry.id)) {
                            time { (entry.date) } " " (entry.headline.as_deref().unwrap_or(""))
                        }
                        @if let Some(lead) = &entry.lead {
                            p class="meta" { "Top story: " (lead) }
                        }
                    }
                }
            }
        }
    }
}

/// Links to the issues before and after.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Neighbours {
    /// The issue before, if any.
    pub previous: Option<String>,
    /// The issue after, if any.
    pub next: Option<String>,
}

/// The `<main>` of `/issues/{id}`.
pub fn render_issue(
    issue_id: &str,
    issue: Option<&Issue>,
    docs: &[&Document],
    around: &Neighbours,
) -> Markup {
    let date = docs
        .first()
        .map(|d| d.date.to_string())
        .unwrap_or_else(|| issue_id.to_string());
    html! {
        article class="issue" {
            @match issue {
                Some(issue) => {
                    p class="meta" { "Issue of " (date) }
                    h1 { (issue.headline) }
                    p class="lede" { (issue.summary) }
                    (render_contents(&parsed_sections(issue)))
                    (render_parsed(issue))
                },
                None => {
                    h1 { "Issue of " (date) }
                    (render_contents(&document_sections(docs)))
                    (render_documents(docs))
                },
            }
        }
        nav class="pages" aria-label="Other issues" {
            ul {
                @if let Some(previous) = &around.previous {
                    li { a rel="prev" href=(issue_path(previous)) { "← " (previous) } }
                }
                li { a href="/issues" { "All issues" } }
                @if let Some(next) = &around.next {
                    li { a rel="next" href=(issue_path(next)) { (next) " →" } }
                }
            }
        }
    }
}

/// The issue's table of contents: the anchors of the sections it has.
fn render_contents(sections: &[(&str, &str)]) -> Markup {
    html! {
        nav class="toc" aria-label="In this issue" {
            ul {
                @for (anchor, label) in sections {
                    li { a href={ "#" (anchor) } { (label) } }
                }
            }
        }
    }
}

/// The sections a parsed issue has, as anchors and labels.
fn parsed_sections(issue: &Issue) -> Vec<(&'static str, &'static str)> {
    let has = [
        ("top", "Top stories", !issue.top_stories.is_empty()),
        ("insights", "Insights", !issue.insights.is_empty()),
        ("sectors", "Sector briefs", !issue.sector_briefs.is_empty()),
        ("regional", "Regional watch", issue.regional_watch.is_some()),
        ("resources", "Resources", !issue.resources.is_empty()),
        ("paths", "Learning paths", !issue.learning_paths.is_empty()),
        (
            "closing",
            "Closing",
            issue.closing.is_some() || !issue.trend_indicators.is_empty(),
        ),
    ];
    has.into_iter()
        .filter(|(_, _, on)| *on)
        .map(|(a, l, _)| (a, l))
        .collect()
}

/// The documents' sections: anchor, heading, and the sections gathered under it.
const DOCUMENT_GROUPS: [(&str, &str, &[Section]); 6] = [
    ("top", "Top stories", &[Section::TopStory]),
    ("insights", "Insights", &[Section::Insight]),
    (
        "sectors",
        "Sector briefs",
        &[Section::SectorStory, Section::HiddenSignal],
    ),
    ("regional", "Regional watch", &[Section::RegionalStory]),
    ("resources", "Resources", &[Section::Resource]),
    ("paths", "Learning paths", &[Section::LearningPath]),
];

/// The sections an issue rebuilt from `docs` has, as anchors and labels.
fn document_sections(docs: &[&Document]) -> Vec<(&'static str, &'static str)> {
    DOCUMENT_GROUPS
        .iter()
        .filter(|(_, _, sections)| docs.iter().any(|d| sections.contains(&d.section)))
        .map(|&(anchor, heading, _)| (anchor, heading))
        .collect()
}

/// The whole parsed issue, section by section.
fn render_parsed(issue: &Issue) -> Markup {
    let iid = issue.id.as_str();
    html! {
        section id="top" {
            h2 { "Top stories" }
            ol class="top-stories" {
                @for story in &issue.top_stories {
                    @let tags: Vec<String> = story
                        .sectors
                        .iter()
                        .map(ToString::to_string)
                        .chain(story.regions.iter().map(ToString::to_string))
                        .collect();
                    li {
                        h3 { (story_link(&id::top_story(iid, story.rank), &story.title)) }
                        p { (story.summary) }
                        p class="meta" { (tags.join(", ")) " · score " (story.score) }
                    }
                }
            }
        }
        @if !issue.insights.is_empty() {
            section id="insights" {
                h2 { "Insights" }
                @for (n, insight) in issue.insights.iter().enumerate() {
                    h3 { (story_link(&id::insight(iid, n + 1), &insight.title)) }
                    p { (insight.body) }
                    p class="meta" { "at ~" (insight.minute) " min" }
                }
            }
        }
        @if !issue.sector_briefs.is_empty() {
            section id="sectors" {
                h2 { "Sector briefs" }
                @for brief in &issue.sector_briefs {
                    section class="brief" {
                        h3 { (brief.sector.as_str()) " " span class="sub" { (brief.headline) } }
                        @if !brief.stats.is_empty() {
                            dl class="stats" {
                                @for stat in &brief.stats {
                                    div { dt { (stat.value) } dd { (stat.label) } }
                                }
                            }
                        }
                        @for (n, story) in brief.stories.iter().enumerate() {
                            (render_sourced(&id::sector_story(iid, &brief.sector, n + 1), story))
                        }
                        aside class="signal" { h4 { "Hidden signal" } p { (brief.hidden_signal) } }
                    }
                }
            }
        }
        @if let Some(watch) = &issue.regional_watch {
            section id="regional" {
                h2 { (watch.region.as_str()) " watch" }
                p { (watch.summary) }
                @for (n, story) in watch.stories.iter().enumerate() {
                    (render_sourced(&id::regional_story(iid, &watch.region, n + 1), story))
                }
                aside class="signal" {
                    h4 { (watch.region.as_str()) " signal" }
                    p { (watch.signal) }
                }
            }
        }
        @if !issue.resources.is_empty() {
            section id="resources" {
                h2 { "Resources" }
                ul class="resource-list" {
                    @for resource in &issue.resources {
                        li {
                            p class="title" {
                                (web_link(&resource.url, &resource.title))
                                " " span class="kind" { (resource.kind.as_str()) }
                                " " span class={ "level-tag " (resource.level.slug()) } {
                                    (resource.level.as_str())
                                }
                            }
                            p { (resource.description) }
                        }
                    }
                }
            }
        }
        @if !issue.learning_paths.is_empty() {
            section id="paths" {
                h2 { "Learning paths" }
                @for path in &issue.learning_paths {
                    section class="path" {
                        h3 {
                            (path.title)
                            " " span class={ "level-tag " (path.level.slug()) } { (path.level.as_str()) }
                        }
                        ol {
                            @for step in &path.steps {
                                li {
                                    (web_link(&step.url, &step.text))
                                    " " span class="meta" { (step.minutes) " min" }
                                }
                            }
                        }
                        p { strong { "After this:" } " " (path.outcome) }
                    }
                }
            }
        }
        @if issue.closing.is_some() || !issue.trend_indicators.is_empty() {
            section id="closing" {
                h2 { "Closing" }
                @if let Some(closing) = &issue.closing {
                    p { (closing) }
                }
                @if !issue.trend_indicators.is_empty() {
                    h3 { "Trend indicators" }
                    ul {
                        @for indicator in &issue.trend_indicators {
                            li { (indicator.evidence) " " span class="meta" { "→ " (indicator.theme) } }
                        }
                    }
                }
            }
        }
    }
}

/// `text` linking to `url` when it is a web address, else plain text.
fn web_link(url: &str, text: &str) -> Markup {
    html! {
        @if is_web_link(url) {
            a href=(url) rel="noopener" { (text) }
        } @else {
            (text)
        }
    }
}

fn render_sourced(doc_id: &str, story: &SourcedStory) -> Markup {
    html! {
        h4 { (story_link(doc_id, &story.title)) }
        p { (story.body) " " span class="meta" { "via " (story.source.as_str()) } }
    }
}

/// The issue rebuilt from its documents, section by section.
fn render_documents(docs: &[&Document]) -> Markup {
    html! {
        @for (anchor, heading, sections) in DOCUMENT_GROUPS {
            @let members: Vec<&&Document> = docs
                .iter()
                .filter(|d| sections.contains(&d.section))
                .collect();
            @if !members.is_empty() {
                section id=(anchor) {
                    h2 { (heading) }
                    @for doc in members {
                        h3 { (story_link(&doc.id, &doc.title)) }
                        p class="meta" { (section_label(doc.section)) }
                        @for paragraph in doc.body.split('\n').filter(|p| !p.trim().is_empty()) {
                            p { (paragraph) }
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::story::tests::document;

    #[test]
    fn the_list_links_every_issue_and_says_when_there_is_none() {
        let html = render_list(&[IssueEntry {
            id: "2026-03-27".into(),
            date: "2026-03-27".into(),
            headline: Some("Chips & <loans>".into()),
            lead: Some("A loan".into()),
            documents: 69,
        }])
        .into_string();
        assert!(html.contains(
            "<a href=\"/issues/2026-03-27\"><time>2026-03-27</time> Chips &amp; &lt;loans&gt;</a>"
        ));
        assert!(render_list(&[])
            .into_string()
            .contains("No issue is indexed yet"));
    }

    #[test]
    fn an_issue_without_its_file_is_rebuilt_from_its_documents() {
        let top = document("2026-03-27/top/1", Section::TopStory, "<i>Lead</i>");
        let resource = document("2026-03-27/resource/1", Section::Resource, "Guide");
        let html = render_issue(
            "2026-03-27",
            None,
            &[&top, &resource],
            &Neighbours {
                previous: Some("2026-03-20".into()),
                next: None,
            },
        )
        .into_string();
        assert!(html.contains("<h1>Issue of 2026-03-27</h1>"));
        assert!(html.contains("<section id=\"top\"><h2>Top stories</h2><h3><a href=\"/stories/2026-03-27/top/1\">&lt;i&gt;Lead&lt;/i&gt;</a>"), "{html}");
        assert!(html.contains("<section id=\"resources\">"));
        assert!(!html.contains("id=\"insights\""));
        assert!(html.contains("<li><a href=\"#resources\">Resources</a></li>"));
        assert!(
            !html.contains("href=\"#insights\""),
            "the contents list only what the issue has"
        );
        assert!(html.contains("rel=\"prev\" href=\"/issues/2026-03-20\""));
        assert!(!html.contains("rel=\"next\""));
    }

    #[test]
    fn a_parsed_issue_is_shown_whole() {
        let Some(path) = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt")
            .canonicalize()
            .ok()
        else {
            eprintln!("skipped: the seed issue is not beside the checkout");
            return;
        };
        let issue = backissue_issue::parse_file(&path).unwrap();
        let html = render_issue(&issue.id, Some(&issue), &[], &Neighbours::default()).into_string();
        assert!(html.contains(&html! { h1 { (issue.headline) } }.into_string()));
        assert!(html.contains("href=\"/stories/2026-03-27/top/2\""));
        assert!(html.contains("href=\"/stories/2026-03-27/finance-banking/1\""));
        assert!(html.contains("Hidden signal"));
        assert!(html.contains("<strong>After this:</strong>"));
        assert_eq!(html.matches("<li><h3>").count(), issue.top_stories.len());
    }
}
