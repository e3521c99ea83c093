//! The issue pages: the list of issues, and one whole issue, readable top to bottom,
//! each story linking to its own page.
//!
//! The whole issue comes from its parsed file when the server could read it (the
//! masthead, stats and closing live only there); otherwise it is rebuilt from the
//! issue's documents, which hold every story, insight, resource and path.

use std::fmt::Write as _;

use backissue_engine::{Document, Section};
use backissue_issue::{id, Issue, SourcedStory};

use super::html::{encode, escape};
use super::labels::{section_label, story_link};
use super::search::is_web_link;

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
pub fn render_list(entries: &[IssueEntry]) -> String {
    let mut out = String::from("<h1>Issues</h1>\n");
    if entries.is_empty() {
        out.push_str(
            "<p class=\"empty\">No issue is indexed yet. Run <code>backissue index</code>.</p>\n",
        );
        return out;
    }
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} weekly issues, newest first.</p>",
        entries.len()
    );
    out.push_str("<ol class=\"issues\" reversed>\n");
    for entry in entries {
        let _ = write!(
            out,
            "<li><a href=\"/issues/{}\"><time>{}</time> {}</a>",
            escape(&encode(&entry.id)),
            escape(&entry.date),
            escape(entry.headline.as_deref().unwrap_or("")),
        );
        if let Some(lead) = &entry.lead {
            let _ = write!(out, "<p class=\"meta\">Top story: {}</p>", escape(lead));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ol>\n");
    out
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
) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let date = docs
        .first()
        .map(|d| d.date.to_string())
        .unwrap_or_else(|| issue_id.to_string());
    match issue {
        Some(issue) => {
            let _ = writeln!(
                out,
                "<article class=\"issue\">\n<p class=\"meta\">Issue of {}</p>\n<h1>{}</h1>\n<p class=\"lede\">{}</p>",
                escape(&date),
                escape(&issue.headline),
                escape(&issue.summary)
            );
            render_contents(&mut out, &parsed_sections(issue));
            render_parsed(issue, &mut out);
        }
        None => {
            let _ = writeln!(
                out,
                "<article class=\"issue\">\n<h1>Issue of {}</h1>",
                escape(&date)
            );
            let present: Vec<(&str, &str)> = DOCUMENT_GROUPS
                .iter()
                .filter(|(_, _, sections)| docs.iter().any(|d| sections.contains(&d.section)))
                .map(|&(anchor, heading, _)| (anchor, heading))
                .collect();
            render_contents(&mut out, &present);
            render_documents(docs, &mut out);
        }
    }
    out.push_str("</article>\n<nav class=\"pages\" aria-label=\"Other issues\"><ul>");
    if let Some(previous) = &around.previous {
        let _ = write!(
            out,
            "<li><a rel=\"prev\" href=\"/issues/{}\">← {}</a></li>",
            escape(&encode(previous)),
            escape(previous)
        );
    }
    out.push_str("<li><a href=\"/issues\">All issues</a></li>");
    if let Some(next) = &around.next {
        let _ = write!(
            out,
            "<li><a rel=\"next\" href=\"/issues/{}\">{} →</a></li>",
            escape(&encode(next)),
            escape(next)
        );
    }
    out.push_str("</ul></nav>\n");
    out
}

/// The issue's table of contents: the anchors of the sections it has.
fn render_contents(out: &mut String, sections: &[(&str, &str)]) {
    out.push_str("<nav class=\"toc\" aria-label=\"In this issue\"><ul>");
    for (anchor, label) in sections {
        let _ = write!(out, "<li><a href=\"#{anchor}\">{label}</a></li>");
    }
    out.push_str("</ul></nav>\n");
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

fn render_parsed(issue: &Issue, out: &mut String) {
    let iid = issue.id.as_str();
    out.push_str("<section id=\"top\"><h2>Top stories</h2><ol class=\"top-stories\">");
    for story in &issue.top_stories {
        let tags: Vec<String> = story
            .sectors
            .iter()
            .map(ToString::to_string)
            .chain(story.regions.iter().map(ToString::to_string))
            .collect();
        let _ = write!(
            out,
            "<li><h3>{}</h3><p>{}</p><p class=\"meta\">{} · score {}</p></li>",
            story_link(&id::top_story(iid, story.rank), &story.title),
            escape(&story.summary),
            escape(&tags.join(", ")),
            story.score
        );
    }
    out.push_str("</ol></section>\n");
    if !issue.insights.is_empty() {
        out.push_str("<section id=\"insights\"><h2>Insights</h2>");
        for (n, insight) in issue.insights.iter().enumerate() {
            let _ = write!(
                out,
                "<h3>{}</h3><p>{}</p><p class=\"meta\">at ~{} min</p>",
                story_link(&id::insight(iid, n + 1), &insight.title),
                escape(&insight.body),
                insight.minute
            );
        }
        out.push_str("</section>\n");
    }
    if !issue.sector_briefs.is_empty() {
        out.push_str("<section id=\"sectors\"><h2>Sector briefs</h2>");
        for brief in &issue.sector_briefs {
            let _ = write!(
                out,
                "<section class=\"brief\"><h3>{} <span class=\"sub\">{}</span></h3>",
                escape(brief.sector.as_str()),
                escape(&brief.headline)
            );
            if !brief.stats.is_empty() {
                out.push_str("<dl class=\"stats\">");
                for stat in &brief.stats {
                    let _ = write!(
                        out,
                        "<div><dt>{}</dt><dd>{}</dd></div>",
                        escape(&stat.value),
                        escape(&stat.label)
                    );
                }
                out.push_str("</dl>");
            }
            for (n, story) in brief.stories.iter().enumerate() {
                render_sourced(&id::sector_story(iid, &brief.sector, n + 1), story, out);
            }
            let _ = write!(
                out,
                "<aside class=\"signal\"><h4>Hidden signal</h4><p>{}</p></aside></section>",
                escape(&brief.hidden_signal)
            );
        }
        out.push_str("</section>\n");
    }
    if let Some(watch) = &issue.regional_watch {
        let _ = write!(
            out,
            "<section id=\"regional\"><h2>{} watch</h2><p>{}</p>",
            escape(watch.region.as_str()),
            escape(&watch.summary)
        );
        for (n, story) in watch.stories.iter().enumerate() {
            render_sourced(&id::regional_story(iid, &watch.region, n + 1), story, out);
        }
        let _ = writeln!(
            out,
            "<aside class=\"signal\"><h4>{} signal</h4><p>{}</p></aside></section>",
            escape(watch.region.as_str()),
            escape(&watch.signal)
        );
    }
    if !issue.resources.is_empty() {
        out.push_str("<section id=\"resources\"><h2>Resources</h2><ul class=\"resource-list\">");
        for resource in &issue.resources {
            let title = if is_web_link(&resource.url) {
                format!(
                    "<a href=\"{}\" rel=\"noopener\">{}</a>",
                    escape(&resource.url),
                    escape(&resource.title)
                )
            } else {
                escape(&resource.title)
            };
            let _ = write!(
                out,
                "<li><p class=\"title\">{title} <span class=\"kind\">{}</span> <span class=\"level-tag {}\">{}</span></p><p>{}</p></li>",
                escape(resource.kind.as_str()),
                resource.level.slug(),
                escape(resource.level.as_str()),
                escape(&resource.description)
            );
        }
        out.push_str("</ul></section>\n");
    }
    if !issue.learning_paths.is_empty() {
        out.push_str("<section id=\"paths\"><h2>Learning paths</h2>");
        for path in &issue.learning_paths {
            let _ = write!(
                out,
                "<section class=\"path\"><h3>{} <span class=\"level-tag {}\">{}</span></h3><ol>",
                escape(&path.title),
                path.level.slug(),
                escape(path.level.as_str())
            );
            for step in &path.steps {
                let text = if is_web_link(&step.url) {
                    format!(
                        "<a href=\"{}\" rel=\"noopener\">{}</a>",
                        escape(&step.url),
                        escape(&step.text)
                    )
                } else {
                    escape(&step.text)
                };
                let _ = write!(
                    out,
                    "<li>{text} <span class=\"meta\">{} min</span></li>",
                    step.minutes
                );
            }
            let _ = write!(
                out,
                "</ol><p><strong>After this:</strong> {}</p></section>",
                escape(&path.outcome)
            );
        }
        out.push_str("</section>\n");
    }
    if issue.closing.is_some() || !issue.trend_indicators.is_empty() {
        out.push_str("<section id=\"closing\"><h2>Closing</h2>");
        if let Some(closing) = &issue.closing {
            let _ = write!(out, "<p>{}</p>", escape(closing));
        }
        if !issue.trend_indicators.is_empty() {
            out.push_str("<h3>Trend indicators</h3><ul>");
            for indicator in &issue.trend_indicators {
                let _ = write!(
                    out,
                    "<li>{} <span class=\"meta\">→ {}</span></li>",
                    escape(&indicator.evidence),
                    escape(&indicator.theme)
                );
            }
            out.push_str("</ul>");
        }
        out.push_str("</section>\n");
    }
}

fn render_sourced(doc_id: &str, story: &SourcedStory, out: &mut String) {
    let _ = write!(
        out,
        "<h4>{}</h4><p>{} <span class=\"meta\">via {}</span></p>",
        story_link(doc_id, &story.title),
        escape(&story.body),
        escape(story.source.as_str())
    );
}

/// The issue rebuilt from its documents, section by section.
fn render_documents(docs: &[&Document], out: &mut String) {
    for (anchor, heading, sections) in DOCUMENT_GROUPS {
        let members: Vec<&&Document> = docs
            .iter()
            .filter(|d| sections.contains(&d.section))
            .collect();
        if members.is_empty() {
            continue;
        }
        let _ = write!(out, "<section id=\"{anchor}\"><h2>{heading}</h2>");
        for doc in members {
            let _ = write!(
                out,
                "<h3>{}</h3><p class=\"meta\">{}</p>",
                story_link(&doc.id, &doc.title),
                section_label(doc.section)
            );
            for paragraph in doc.body.split('\n').filter(|p| !p.trim().is_empty()) {
                let _ = write!(out, "<p>{}</p>", escape(paragraph));
            }
        }
        out.push_str("</section>\n");
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
        }]);
        assert!(html.contains(
            "<a href=\"/issues/2026-03-27\"><time>2026-03-27</time> Chips &amp; &lt;loans&gt;</a>"
        ));
        assert!(render_list(&[]).contains("No issue is indexed yet"));
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
        );
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
        let html = render_issue(&issue.id, Some(&issue), &[], &Neighbours::default());
        assert!(html.contains(&format!("<h1>{}</h1>", escape(&issue.headline))));
        assert!(html.contains("href=\"/stories/2026-03-27/top/2\""));
        assert!(html.contains("href=\"/stories/2026-03-27/finance-banking/1\""));
        assert!(html.contains("Hidden signal"));
        assert!(html.contains("<strong>After this:</strong>"));
        assert_eq!(html.matches("<li><h3>").count(), issue.top_stories.len());
    }
}
