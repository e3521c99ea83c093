//! The resources page (`/resources`: learning resources by level, filtered by level
//! and ranked by a query) and the learning paths page (`/paths`).
//!
//! Both list each resource or path once, however many issues featured it (the
//! engine's catalog), with when it was featured.

use std::fmt::Write as _;

use backissue_engine::resources::{Listing, PathEntry, ResourceEntry};
use backissue_issue::Level;

use super::html::{escape, query_string};
use super::labels::date_link;
use super::search::is_web_link;
use crate::config::Limits;
use crate::error::ApiError;
use crate::params::QueryPairs;
use crate::routes::search::check_length;

/// Items shown per level.
pub const PER_LEVEL: usize = 20;

/// What `/resources` and `/paths` were asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CatalogForm {
    /// Words to rank by.
    pub q: String,
    /// The reader's level, if chosen.
    pub level: Option<Level>,
}

impl CatalogForm {
    /// Reads `q` and `level` from a query string with the API's reader and caps:
    /// an unknown parameter or level, or a `q` over the length limit, is the API's
    /// 400. (`level=` or `level=any` is every level, as the form's menu sends.)
    pub fn read(raw: &str, limits: &Limits) -> Result<CatalogForm, ApiError> {
        let pairs = QueryPairs::parse(raw)?
            .without_blanks()
            .without(|key| key.starts_with("utm_"));
        pairs.only(&["q", "level"])?;
        let q = pairs.one("q")?.unwrap_or("").trim().to_string();
        check_length("q", &q, limits.max_query_chars)?;
        let level = match pairs.one("level")?.map(str::trim) {
            None | Some("") | Some("any") => None,
            Some(text) => Some(
                text.parse::<Level>()
                    .map_err(|problem| ApiError::bad_parameter("level", problem))?,
            ),
        };
        Ok(CatalogForm { q, level })
    }

    /// [`CatalogForm::read`] with the default limits.
    pub fn from_query(raw: &str) -> Result<CatalogForm, ApiError> {
        CatalogForm::read(raw, &Limits::default())
    }
}

/// The filter form and the level tabs of `path` (`/resources` or `/paths`).
fn render_form(path: &str, form: &CatalogForm, with_query: bool, out: &mut String) {
    let _ = write!(
        out,
        "<form class=\"catalog-form\" action=\"{path}\" method=\"get\">"
    );
    if with_query {
        let _ = write!(
            out,
            "<label>About <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"retrieval evaluation\"></label>",
            escape(&form.q)
        );
    }
    out.push_str("<label>Level <select name=\"level\"><option value=\"\">every level</option>");
    for level in [Level::Beginner, Level::Intermediate, Level::Advanced] {
        let selected = if form.level == Some(level) {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            out,
            "<option value=\"{}\"{selected}>{}</option>",
            level.slug(),
            level.as_str()
        );
    }
    out.push_str(
        "</select></label><button type=\"submit\">Show</button></form>\n<ul class=\"tabs\">",
    );
    let levels = [
        None,
        Some(Level::Beginner),
        Some(Level::Intermediate),
        Some(Level::Advanced),
    ];
    for level in levels {
        let query = query_string([
            ("q", form.q.as_str()),
            ("level", level.map_or("", Level::slug)),
        ]);
        let href = if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        };
        let current = if level == form.level {
            " aria-current=\"page\""
        } else {
            ""
        };
        let _ = write!(
            out,
            "<li><a href=\"{}\"{current}>{}</a></li>",
            escape(&href),
            level.map_or("Every level", Level::as_str)
        );
    }
    out.push_str("</ul>\n");
}

/// The `<main>` of `/resources`.
pub fn render_resources_page(form: &CatalogForm, listing: &Listing<ResourceEntry>) -> String {
    let mut out = String::from("<h1>Learning resources</h1>\n<p class=\"meta\">Every resource the issues featured, once, with the newest and most featured first; a level also shows material for all levels.</p>\n");
    render_form("/resources", form, true, &mut out);
    render_resources(listing, &mut out);
    out
}

/// Resources grouped by level; also the resources page's body.
pub fn render_resources(listing: &Listing<ResourceEntry>, out: &mut String) {
    let heading = if listing.for_story.is_some() {
        "Learn more"
    } else {
        "Resources"
    };
    let _ = write!(out, "<section class=\"resources\"><h2>{heading}</h2>");
    if listing.groups.iter().all(|g| g.items.is_empty()) {
        out.push_str("<p class=\"empty\">No resource matches.</p></section>\n");
        return;
    }
    for group in listing.groups.iter().filter(|g| !g.items.is_empty()) {
        let _ = write!(
            out,
            "<section class=\"level\"><h3><span class=\"level-tag {}\">{}</span></h3><ul class=\"resource-list\">",
            group.level.slug(),
            escape(group.level.as_str())
        );
        for ranked in &group.items {
            render_resource(&ranked.item, out);
        }
        out.push_str("</ul></section>");
    }
    out.push_str("</section>\n");
}

fn render_resource(entry: &ResourceEntry, out: &mut String) {
    let title = if is_web_link(&entry.url) {
        format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a>",
            escape(&entry.url),
            escape(&entry.title)
        )
    } else {
        escape(&entry.title)
    };
    let times = featured(&entry.featured);
    let _ = write!(
        out,
        "<li><p class=\"title\">{title}{}</p><p>{}</p><p class=\"meta\">{} · {times}</p></li>",
        entry
            .kind
            .as_ref()
            .map(|k| format!(" <span class=\"kind\">{}</span>", escape(k.as_str())))
            .unwrap_or_default(),
        escape(&entry.description),
        escape(entry.level.as_str()),
    );
}

/// The `<main>` of `/paths`.
pub fn render_paths_page(form: &CatalogForm, listing: &Listing<PathEntry>) -> String {
    let mut out = String::from("<h1>Learning paths</h1>\n<p class=\"meta\">Step-by-step paths from the issues, by level.</p>\n");
    render_form("/paths", form, false, &mut out);
    if listing.groups.iter().all(|g| g.items.is_empty()) {
        out.push_str("<p class=\"empty\">No learning path yet.</p>\n");
        return out;
    }
    for group in listing.groups.iter().filter(|g| !g.items.is_empty()) {
        let _ = write!(
            out,
            "<section class=\"level\"><h2><span class=\"level-tag {}\">{}</span></h2>",
            group.level.slug(),
            escape(group.level.as_str())
        );
        for ranked in &group.items {
            render_path(&ranked.item, &mut out);
        }
        out.push_str("</section>\n");
    }
    out
}

fn render_path(path: &PathEntry, out: &mut String) {
    let _ = write!(
        out,
        "<article class=\"path\"><h3>{}</h3><ol>",
        escape(&path.title)
    );
    for step in &path.steps {
        // Steps read `1. text`; the list numbers them already.
        let text = step
            .split_once(". ")
            .map_or(step.as_str(), |(_, text)| text);
        let _ = write!(out, "<li>{}</li>", escape(text));
    }
    out.push_str("</ol>");
    if !path.outcome.is_empty() {
        let _ = write!(
            out,
            "<p><strong>After this:</strong> {}</p>",
            escape(&path.outcome)
        );
    }
    let _ = write!(
        out,
        "<p class=\"meta\">{}</p></article>",
        featured(&path.featured)
    );
    out.push('\n');
}

/// `featured 2026-03-27` or `featured 3 times, last 2026-03-27`, the date linking
/// to the issue.
fn featured(featured: &backissue_engine::resources::Featured) -> String {
    let last = featured.issues.last().map_or("", String::as_str);
    let date = date_link(last, &featured.last_date.to_string());
    match featured.times_featured {
        1 => format!("featured {date}"),
        n => format!("featured {n} times, last {date}"),
    }
}

#[cfg(test)]
mod tests {
    use backissue_engine::resources::{Featured, LevelGroup, Ranked, Signals};

    use super::*;

    fn featured(times: u32) -> Featured {
        Featured {
            first_week: "2026-W10".into(),
            last_week: "2026-W13".into(),
            first_date: "2026-03-06".parse().unwrap(),
            last_date: "2026-03-27".parse().unwrap(),
            times_featured: times,
            issues: (0..times)
                .map(|n| format!("2026-03-{:02}", 6 + 7 * n))
                .collect(),
            doc_ids: Vec::new(),
        }
    }

    fn listing<T>(level: Level, items: Vec<T>) -> Listing<T> {
        Listing {
            query: None,
            level: None,
            for_story: None,
            groups: vec![LevelGroup {
                level,
                items: items
                    .into_iter()
                    .map(|item| Ranked {
                        item,
                        score: 1.0,
                        signals: Signals::default(),
                    })
                    .collect(),
            }],
        }
    }

    #[test]
    fn the_form_reads_a_level_and_refuses_an_unknown_one() {
        let form = CatalogForm::from_query("q=rag+evals&level=Beginner").unwrap();
        assert_eq!(form.q, "rag evals");
        assert_eq!(form.level, Some(Level::Beginner));
        assert_eq!(CatalogForm::from_query("level=").unwrap().level, None);
        assert!(CatalogForm::from_query("level=expert")
            .unwrap_err()
            .message
            .contains("expert"));
        let long = format!("q={}", "word+".repeat(21_000));
        let error = CatalogForm::from_query(&long).unwrap_err();
        assert!(error.message.starts_with("q: "), "{}", error.message);
    }

    #[test]
    fn resources_are_grouped_by_level_with_their_history() {
        let entry = ResourceEntry {
            url: "https://example.com/guide".into(),
            title: "A <guide>".into(),
            description: "Read it".into(),
            level: Level::Advanced,
            kind: None,
            featured: featured(3),
        };
        let form = CatalogForm {
            q: "x\"y".into(),
            level: Some(Level::Advanced),
        };
        let html = render_resources_page(&form, &listing(Level::Advanced, vec![entry]));
        assert!(html.contains(
            "<a href=\"https://example.com/guide\" rel=\"noopener\">A &lt;guide&gt;</a>"
        ));
        assert!(
            html.contains("featured 3 times, last <a href=\"/issues/2026-03-20\">2026-03-27</a>")
        );
        assert!(html.contains("value=\"x&quot;y\""));
        assert!(html.contains("<option value=\"advanced\" selected>"));
        assert!(
            html.contains("href=\"/resources?q=x%22y&amp;level=advanced\" aria-current=\"page\"")
        );
        let empty = render_resources_page(
            &CatalogForm::default(),
            &listing::<ResourceEntry>(Level::Beginner, Vec::new()),
        );
        assert!(empty.contains("No resource matches."));
    }

    #[test]
    fn paths_list_their_steps_and_outcome() {
        let path = PathEntry {
            title: "Start here".into(),
            level: Level::Beginner,
            steps: vec!["1. Read <this>".into(), "2. Try it".into()],
            outcome: "You can".into(),
            featured: featured(1),
        };
        let html = render_paths_page(
            &CatalogForm::default(),
            &listing(Level::Beginner, vec![path]),
        );
        assert!(
            html.contains("<ol><li>Read &lt;this&gt;</li><li>Try it</li></ol>"),
            "{html}"
        );
        assert!(html.contains("<strong>After this:</strong> You can"));
        assert!(html.contains("featured <a href=\"/issues/2026-03-06\">2026-03-27</a>"));
        let empty = render_paths_page(
            &CatalogForm::default(),
            &listing::<PathEntry>(Level::Beginner, Vec::new()),
        );
        assert!(empty.contains("No learning path yet."));
    }
}
