//! The resources page (`/resources`: learning resources by level, filtered by level
//! and ranked by a query) and the learning paths page (`/paths`).
//!
//! Both list each resource or path once, however many issues featured it (the
//! engine's catalog), with when it was featured; both sort and page like the API
//! (`sort`, `page`; each level group is paged alike). A resource lists every level and
//! URL it was featured under; a path links every step, with its time and the total.

use backissue_engine::resources::{Featured, Listing, PathEntry, ResourceEntry, Sort};
use backissue_issue::Level;
use maud::{html, Markup};

use super::labels::date_link;
use super::search::is_web_link;
use super::urls::query_string;
use crate::config::Limits;
use crate::error::ApiError;
use crate::params::{documented_names, QueryPairs};
use crate::routes::library::{LibraryFields, ResourcesQuery};

/// Items shown per level on a page, unless `limit` says otherwise.
pub const PER_LEVEL: usize = 20;

/// What `/resources` and `/paths` were asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogForm {
    /// Words to rank by.
    pub q: String,
    /// The reader's level, if chosen.
    pub level: Option<Level>,
    /// The order.
    pub sort: Sort,
    /// The page, from 1.
    pub page: usize,
    /// Items per level on a page (the API's `limit`).
    pub limit: usize,
}

impl Default for CatalogForm {
    fn default() -> Self {
        CatalogForm {
            q: String::new(),
            level: None,
            sort: Sort::Relevance,
            page: 1,
            limit: PER_LEVEL,
        }
    }
}

impl CatalogForm {
    /// Reads `q`, `level`, `sort`, `page` and `limit` from a query string with the
    /// API's reader and caps: an unknown parameter, level or sort, a page or limit out
    /// of range, or a `q` over the length limit, is the API's 400. (`level=` or `level=any` is every
    /// level, as the form's menu sends.) `sorts` are the sorts the page takes.
    pub fn read(raw: &str, limits: &Limits, sorts: &[Sort]) -> Result<CatalogForm, ApiError> {
        let pairs = QueryPairs::parse(raw)?
            .without_blanks()
            .without(|key| key.starts_with("utm_"));
        // The page's parameters: the listing's, with `page` for `offset`.
        let any_level = pairs.one("level")?.map(str::trim) == Some("any");
        let api = pairs.without(|key| key == "page" || (any_level && key == "level"));
        let known: Vec<&str> = documented_names::<ResourcesQuery>()
            .iter()
            .copied()
            .filter(|name| *name != "for" && *name != "offset")
            .chain(["page"])
            .collect();
        pairs.only(&known)?;
        let fields = LibraryFields::read(&api, limits, sorts)?;
        let q = fields.q.unwrap_or_default();
        let level = fields.level;
        let sort = fields.sort;
        let limit = if pairs.one("limit")?.is_some() {
            fields.limit
        } else {
            PER_LEVEL
        };
        let max_offset = backissue_engine::resources::MAX_OFFSET;
        let last_page = max_offset / limit + 1;
        let page = pairs.number("page", 1, last_page)?.unwrap_or(1);
        Ok(CatalogForm {
            q,
            level,
            sort,
            page,
            limit,
        })
    }

    /// [`CatalogForm::read`] with the default limits, for resources.
    pub fn from_query(raw: &str) -> Result<CatalogForm, ApiError> {
        CatalogForm::read(raw, &Limits::default(), &Sort::RESOURCES)
    }

    /// Items skipped at the start of each group.
    pub fn offset(&self) -> usize {
        (self.page.max(1) - 1) * self.limit
    }

    /// The link to this form's listing on `path`, at `page`, with `level`.
    fn href(&self, path: &str, level: Option<Level>, page: usize) -> String {
        let page = page.to_string();
        let limit = self.limit.to_string();
        let query = query_string([
            ("q", self.q.as_str()),
            ("level", level.map_or("", Level::slug)),
            (
                "sort",
                if self.sort == Sort::Relevance {
                    ""
                } else {
                    self.sort.as_str()
                },
            ),
            ("page", if page == "1" { "" } else { page.as_str() }),
            (
                "limit",
                if self.limit == PER_LEVEL {
                    ""
                } else {
                    limit.as_str()
                },
            ),
        ]);
        if query.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{query}")
        }
    }
}

/// How a sort reads in the form's menu.
fn sort_label(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "best first",
        Sort::Newest => "newest",
        Sort::MostFeatured => "most featured",
        Sort::Title => "title, A to Z",
        Sort::Shortest => "shortest",
    }
}

/// The filter form and the level tabs of `path` (`/resources` or `/paths`).
fn render_form(path: &str, form: &CatalogForm, with_query: bool, sorts: &[Sort]) -> Markup {
    let levels = [
        None,
        Some(Level::Beginner),
        Some(Level::Intermediate),
        Some(Level::Advanced),
    ];
    html! {
        form class="catalog-form" action=(path) method="get" {
            @if with_query {
                label {
                    "About "
                    input type="search" name="q" value=(form.q) placeholder="retrieval evaluation";
                }
            }
            label {
                "Level "
                select name="level" {
                    option value="" { "every level" }
                    @for level in [Level::Beginner, Level::Intermediate, Level::Advanced] {
                        option value=(level.slug()) selected[form.level == Some(level)] {
                            (level.as_str())
                        }
                    }
                }
            }
            label {
                "Sort "
                select name="sort" {
                    @for &sort in sorts {
                        option value=(sort.as_str()) selected[form.sort == sort] {
                            (sort_label(sort))
                        }
                    }
                }
            }
            button type="submit" { "Show" }
        }
        ul class="tabs" {
            @for level in levels {
                li {
                    a href=(form.href(path, level, 1))
                        aria-current=[(level == form.level).then_some("page")] {
                        (level.map_or("Every level", Level::as_str))
                    }
                }
            }
        }
    }
}

/// `Showing 21–40 of 57 resources` (or per level without one), above a listing.
fn render_count<T>(listing: &Listing<T>, what: &str) -> Markup {
    let shown: usize = listing.groups.iter().map(|g| g.items.len()).sum();
    html! {
        @if shown > 0 {
            p class="count" data-total=(listing.total) {
                @if listing.groups.len() == 1 {
                    "Showing " (listing.offset + 1) "–" (listing.offset + shown)
                    " of " (listing.total) " " (what)
                } @else {
                    (listing.total) " " (what) " in all"
                    @if listing.offset > 0 || listing.has_more() {
                        "; this page shows items " (listing.offset + 1) "–"
                        (listing.offset + listing.limit) " of each level"
                    }
                }
            }
        }
    }
}

/// Previous and next links, and where this page is, when the listing has more than
/// one page.
fn render_pager<T>(path: &str, form: &CatalogForm, listing: &Listing<T>) -> Markup {
    let largest = listing.groups.iter().map(|g| g.total).max().unwrap_or(0);
    let pages = largest.div_ceil(form.limit.max(1)).max(1);
    html! {
        @if pages > 1 || form.page > 1 {
            nav class="pages" aria-label="Pages" {
                ul {
                    @if form.page > 1 {
                        li {
                            a href=(form.href(path, form.level, (form.page - 1).min(pages)))
                                rel="prev" { "← Previous" }
                        }
                    }
                    li { span aria-current="page" { "Page " (form.page) " of " (pages) } }
                    @if listing.has_more() {
                        li {
                            a href=(form.href(path, form.level, form.page + 1)) rel="next" {
                                "Next →"
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The `<main>` of `/resources`.
pub fn render_resources_page(form: &CatalogForm, listing: &Listing<ResourceEntry>) -> Markup {
    html! {
        h1 { "Learning resources" }
        p class="meta" {
            "Every resource the issues featured, once (however many URLs and levels it came \
             under), with the newest and most featured first; a level also shows material \
             for all levels."
        }
        (render_form("/resources", form, true, &Sort::RESOURCES))
        (render_count(listing, "resources"))
        (render_resources(listing))
        (render_pager("/resources", form, listing))
    }
}

/// Resources grouped by level; also the resources page's body and a story's
/// "Learn more".
pub fn render_resources(listing: &Listing<ResourceEntry>) -> Markup {
    let heading = if listing.for_story.is_some() {
        "Learn more"
    } else {
        "Resources"
    };
    html! {
        section class="resources" {
            h2 { (heading) }
            @if listing.groups.iter().all(|g| g.items.is_empty()) {
                p class="empty" {
                    @match (&listing.note, listing.total) {
                        (Some(note), _) => { (capitalised(note)) "." },
                        (None, 0) => "No resource matches.",
                        (None, _) => "No resource on this page; go back a page.",
                    }
                }
            } @else {
                @for group in listing.groups.iter().filter(|g| !g.items.is_empty()) {
                    section class="level" data-level=(group.level.slug()) data-total=(group.total) {
                        h3 {
                            span class={ "level-tag " (group.level.slug()) } {
                                (group.level.as_str())
                            }
                        }
                        ul class="resource-list" {
                            @for ranked in &group.items {
                                (render_resource(&ranked.item))
                            }
                        }
                    }
                }
            }
        }
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `url` as a link when it is a web address, else as text.
fn link(url: &str, text: &str) -> Markup {
    html! {
        @if is_web_link(url) {
            a href=(url) rel="noopener" { (text) }
        } @else {
            (text)
        }
    }
}

fn render_resource(entry: &ResourceEntry) -> Markup {
    let levels: Vec<&str> = entry.levels.iter().map(|l| l.as_str()).collect();
    let levels = if levels.len() > 1 {
        format!("levels {}", levels.join(", "))
    } else {
        entry.level.as_str().to_string()
    };
    let others: Vec<&String> = entry.urls.iter().filter(|u| **u != entry.url).collect();
    html! {
        li class="resource" {
            p class="title" {
                (link(&entry.url, &entry.title))
                @if let Some(kind) = &entry.kind {
                    " " span class="kind" { (kind.as_str()) }
                }
            }
            p { (entry.description) }
            p class="meta" {
                span class="levels" { (levels) } " · " (featured(&entry.featured))
            }
            @if !others.is_empty() {
                p class="meta urls" {
                    "Also at "
                    @for (n, url) in others.iter().enumerate() {
                        @if n > 0 { ", " }
                        (link(url, &format!("link {}", n + 2)))
                    }
                }
            }
        }
    }
}

/// The `<main>` of `/paths`.
pub fn render_paths_page(form: &CatalogForm, listing: &Listing<PathEntry>) -> Markup {
    html! {
        h1 { "Learning paths" }
        p class="meta" {
            "Step-by-step paths from the issues, by level, each step with its time and link."
        }
        (render_form("/paths", form, false, &Sort::PATHS))
        @if listing.groups.iter().all(|g| g.items.is_empty()) {
            p class="empty" {
                @if listing.total == 0 {
                    "No learning path yet."
                } @else {
                    "No learning path on this page; go back a page."
                }
            }
        } @else {
            (render_count(listing, "paths"))
            @for group in listing.groups.iter().filter(|g| !g.items.is_empty()) {
                section class="level" data-level=(group.level.slug()) data-total=(group.total) {
                    h2 {
                        span class={ "level-tag " (group.level.slug()) } { (group.level.as_str()) }
                    }
                    @for ranked in &group.items {
                        (render_path(&ranked.item))
                    }
                }
            }
        }
        (render_pager("/paths", form, listing))
    }
}

/// `45 min`, `2 h`, `1 h 30 min`.
pub fn duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

fn render_path(path: &PathEntry) -> Markup {
    html! {
        article class="path" {
            h3 { (path.title) }
            p class="meta total" data-minutes=(path.total_minutes) {
                (duration(path.total_minutes)) " in all, " (path.steps.len()) " steps"
            }
            ol {
                @for step in &path.steps {
                    li value=(step.n) {
                        (link(&step.url, &step.text))
                        " "
                        span class="minutes" data-minutes=(step.minutes) { (duration(step.minutes)) }
                    }
                }
            }
            @if !path.outcome.is_empty() {
                p class="outcome" { strong { "After this:" } " " (path.outcome) }
            }
            p class="meta" { (featured(&path.featured)) }
        }
    }
}

/// `featured 2026-03-27` or `featured 3 times, last 2026-03-27`, the date linking
/// to the issue.
fn featured(featured: &Featured) -> Markup {
    let last = featured.issues.last().map_or("", String::as_str);
    let date = date_link(last, &featured.last_date.to_string());
    html! {
        @match featured.times_featured {
            1 => { "featured " (date) },
            n => { "featured " (n) " times, last " (date) },
        }
    }
}

#[cfg(test)]
mod tests {
    use backissue_engine::resources::{Featured, LevelGroup, Ranked, Signals};
    use backissue_issue::PathStep;

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

    /// A listing of one group holding `items`, as page `offset / limit + 1` of `total`.
    fn page<T>(level: Level, items: Vec<T>, offset: usize, total: usize) -> Listing<T> {
        Listing {
            query: None,
            level: Some(level),
            for_story: None,
            sort: Sort::Relevance,
            offset,
            limit: PER_LEVEL,
            total,
            min_relevance: None,
            note: None,
            groups: vec![LevelGroup {
                level,
                total,
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

    fn listing<T>(level: Level, items: Vec<T>) -> Listing<T> {
        let total = items.len();
        page(level, items, 0, total)
    }

    #[test]
    fn the_form_reads_level_sort_and_page_and_refuses_mistakes() {
        let form = CatalogForm::from_query("q=rag+evals&level=Beginner&sort=most-featured&page=3")
            .unwrap();
        assert_eq!(form.q, "rag evals");
        assert_eq!(form.level, Some(Level::Beginner));
        assert_eq!(form.sort, Sort::MostFeatured);
        assert_eq!((form.page, form.offset()), (3, 2 * PER_LEVEL));
        let small = CatalogForm::from_query("limit=5&page=2").unwrap();
        assert_eq!((small.limit, small.offset()), (5, 5));
        let blank = CatalogForm::from_query("level=&sort=&page=").unwrap();
        assert_eq!(
            (blank.level, blank.sort, blank.page),
            (None, Sort::Relevance, 1)
        );
        assert!(CatalogForm::from_query("level=expert")
            .unwrap_err()
            .message
            .contains("expert"));
        let error = CatalogForm::from_query("sort=shortest").unwrap_err();
        assert!(error.message.starts_with("sort: "), "{}", error.message);
        let paths = CatalogForm::read("sort=shortest", &Limits::default(), &Sort::PATHS).unwrap();
        assert_eq!(paths.sort, Sort::Shortest);
        assert!(CatalogForm::from_query("limit=0")
            .unwrap_err()
            .message
            .starts_with("limit: "));
        for bad in ["page=0", "page=x", "page=100000", "limit=1&page=10002"] {
            let error = CatalogForm::from_query(bad).unwrap_err();
            assert!(error.message.starts_with("page: "), "{}", error.message);
        }
        let long = format!("q={}", "word+".repeat(21_000));
        let error = CatalogForm::from_query(&long).unwrap_err();
        assert!(error.message.starts_with("q: "), "{}", error.message);
    }

    fn resource(url: &str, title: &str) -> ResourceEntry {
        ResourceEntry {
            url: url.into(),
            urls: vec![url.into()],
            title: title.into(),
            description: "Read it".into(),
            level: Level::Advanced,
            levels: vec![Level::Advanced],
            kind: None,
            featured: featured(3),
        }
    }

    #[test]
    fn resources_are_grouped_by_level_with_every_level_and_url() {
        let mut entry = resource("https://example.com/guide", "A <guide>");
        entry.levels = vec![Level::Beginner, Level::Advanced];
        entry.urls = vec![
            "https://example.com/old".into(),
            "javascript:alert(1)".into(),
            "https://example.com/guide".into(),
        ];
        let form = CatalogForm {
            q: "x\"y".into(),
            level: Some(Level::Advanced),
            sort: Sort::Newest,
            ..CatalogForm::default()
        };
        let html =
            render_resources_page(&form, &listing(Level::Advanced, vec![entry])).into_string();
        assert!(html.contains(
            "<a href=\"https://example.com/guide\" rel=\"noopener\">A &lt;guide&gt;</a>"
        ));
        assert!(html.contains("<span class=\"levels\">levels Beginner, Advanced</span>"));
        assert!(
            html.contains("Also at <a href=\"https://example.com/old\" rel=\"noopener\">link 2</a>, link 3</p>"),
            "{html}"
        );
        assert!(!html.contains("javascript:"));
        assert!(
            html.contains("featured 3 times, last <a href=\"/issues/2026-03-20\">2026-03-27</a>")
        );
        assert!(html.contains("value=\"x&quot;y\""));
        assert!(html.contains("<option value=\"advanced\" selected>"));
        assert!(html.contains("<option value=\"newest\" selected>newest</option>"));
        assert!(!html.contains("shortest"), "resources do not sort by time");
        assert!(html.contains(
            "href=\"/resources?q=x%22y&amp;level=advanced&amp;sort=newest\" aria-current=\"page\""
        ));
        assert!(html.contains("Showing 1–1 of 1 resources"));
        assert!(!html.contains("rel=\"next\""), "one page only");
        let empty = render_resources_page(
            &CatalogForm::default(),
            &listing::<ResourceEntry>(Level::Beginner, Vec::new()),
        )
        .into_string();
        assert!(empty.contains("No resource matches."));
    }

    #[test]
    fn pages_link_to_the_previous_and_next_page() {
        let items: Vec<ResourceEntry> = (0..PER_LEVEL)
            .map(|n| resource(&format!("https://example.com/{n}"), &format!("R{n}")))
            .collect();
        let total = 2 * PER_LEVEL + 5;
        let form = CatalogForm {
            level: Some(Level::Beginner),
            page: 2,
            ..CatalogForm::default()
        };
        let html = render_resources_page(&form, &page(Level::Beginner, items, PER_LEVEL, total))
            .into_string();
        assert!(
            html.contains(&format!("Showing 21–40 of {total} resources")),
            "{html}"
        );
        assert!(html.contains("<a href=\"/resources?level=beginner\" rel=\"prev\">← Previous</a>"));
        assert!(html
            .contains("<a href=\"/resources?level=beginner&amp;page=3\" rel=\"next\">Next →</a>"));
        assert!(html.contains("Page 2 of 3"));
        // A page size of the reader's own is kept in the links.
        let small = CatalogForm {
            limit: 5,
            ..form.clone()
        };
        let html = render_resources_page(
            &small,
            &Listing {
                limit: 5,
                ..page(
                    Level::Beginner,
                    (0..5)
                        .map(|n| resource(&format!("https://example.com/{n}"), "R"))
                        .collect(),
                    5,
                    12,
                )
            },
        )
        .into_string();
        assert!(html.contains("Showing 6–10 of 12 resources"), "{html}");
        assert!(
            html.contains(
                "<a href=\"/resources?level=beginner&amp;page=3&amp;limit=5\" rel=\"next\">"
            ),
            "{html}"
        );
        assert!(
            html.contains("<a href=\"/resources?level=beginner&amp;limit=5\" rel=\"prev\">"),
            "{html}"
        );
        let last = CatalogForm {
            page: 3,
            ..form.clone()
        };
        let html = render_resources_page(
            &last,
            &page(
                Level::Beginner,
                (0..5)
                    .map(|n| resource(&format!("https://example.com/x{n}"), "X"))
                    .collect(),
                2 * PER_LEVEL,
                total,
            ),
        )
        .into_string();
        assert!(html.contains("rel=\"prev\"") && !html.contains("rel=\"next\""));
        // Past the end: nothing, and the way back.
        let past = CatalogForm { page: 9, ..form };
        let html = render_resources_page(
            &past,
            &page::<ResourceEntry>(Level::Beginner, Vec::new(), 8 * PER_LEVEL, total),
        )
        .into_string();
        assert!(html.contains("No resource on this page"));
        assert!(
            html.contains("<a href=\"/resources?level=beginner&amp;page=3\" rel=\"prev\">"),
            "{html}"
        );
    }

    #[test]
    fn paths_link_every_step_with_its_time_and_the_total() {
        let step = |n: u32, text: &str, minutes: u32, url: &str| PathStep {
            n,
            text: text.into(),
            minutes,
            url: url.into(),
        };
        let path = PathEntry {
            title: "Start <here>".into(),
            level: Level::Beginner,
            steps: vec![
                step(1, "Read <this>", 15, "https://example.com/a?x=1&y=2"),
                step(2, "Try it", 90, "javascript:alert(1)"),
            ],
            total_minutes: 105,
            outcome: "You can".into(),
            featured: featured(1),
        };
        let form = CatalogForm {
            sort: Sort::Shortest,
            ..CatalogForm::default()
        };
        let html = render_paths_page(&form, &listing(Level::Beginner, vec![path])).into_string();
        assert!(html.contains("<h3>Start &lt;here&gt;</h3>"), "{html}");
        assert!(html.contains(">1 h 45 min in all, 2 steps</p>"), "{html}");
        assert!(html.contains(
            "<li value=\"1\"><a href=\"https://example.com/a?x=1&amp;y=2\" rel=\"noopener\">Read &lt;this&gt;</a> <span class=\"minutes\" data-minutes=\"15\">15 min</span></li>"
        ), "{html}");
        assert!(
            html.contains("<li value=\"2\">Try it <span class=\"minutes\" data-minutes=\"90\">1 h 30 min</span></li>"),
            "only web links become links: {html}"
        );
        assert!(!html.contains("javascript:"));
        assert!(html.contains("<strong>After this:</strong> You can"));
        assert!(html.contains("featured <a href=\"/issues/2026-03-06\">2026-03-27</a>"));
        assert!(html.contains("<option value=\"shortest\" selected>shortest</option>"));
        let empty = render_paths_page(
            &CatalogForm::default(),
            &listing::<PathEntry>(Level::Beginner, Vec::new()),
        )
        .into_string();
        assert!(empty.contains("No learning path yet."));
        assert_eq!(duration(120), "2 h");
    }
}
