//! The trends page: pick terms, names and sectors; see each one's news events per
//! week as a line chart drawn on the server; see which topics are rising and which
//! burst; download any series as CSV from the API.

use backissue_engine::trends::{TopicBurst, TopicKind, TopicRanking, TrendQuery, TrendSeries};
use backissue_issue::Sector;
use maud::{html, Markup};

use super::chart::{LineChart, Series};
use super::urls::query_string;
use crate::config::Limits;
use crate::error::ApiError;
use crate::params::{QueryPairs, MAX_LIST_ITEMS};
use crate::routes::search::check_length;

/// Most series on one chart; more lines cannot be told apart.
pub const MAX_SERIES: usize = 6;

/// Text inputs offered for terms and for names.
const TERM_INPUTS: usize = 3;
const NAME_INPUTS: usize = 2;

/// What one series counts: the parameter (`term`, `name`, `sector`) and its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pick {
    /// `term`, `name`, `sector` or `region`.
    pub kind: &'static str,
    /// The value as given.
    pub value: String,
}

impl Pick {
    /// The engine's query for this pick, or why it cannot be counted.
    pub fn to_query(&self) -> Result<TrendQuery, String> {
        let mut query = TrendQuery::default();
        match self.kind {
            "term" => query.term = Some(self.value.clone()),
            "name" => query.name = Some(self.value.clone()),
            "region" => {
                query.region = Some(
                    self.value
                        .parse()
                        .map_err(|_| format!("{:?} is not a region", self.value))?,
                )
            }
            _ => {
                let sector = Sector::KNOWN
                    .iter()
                    .find(|s| s.slug() == backissue_issue::id::slug(&self.value))
                    .ok_or_else(|| format!("{:?} is not a sector of the newsletter", self.value))?;
                query.sector = Some(sector.clone());
            }
        }
        Ok(query)
    }

    /// The API's CSV of this series.
    pub fn csv_href(&self) -> String {
        format!(
            "/api/trends/series?{}",
            query_string([(self.kind, self.value.as_str()), ("format", "csv")])
        )
    }

    /// How the series is named in the legend.
    pub fn label(&self) -> String {
        match self.kind {
            "sector" | "region" => format!("{} {}", self.kind, self.value),
            kind => format!("{kind} “{}”", self.value),
        }
    }
}

/// What the page was asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrendsForm {
    /// The picks, in the order given, at most [`MAX_SERIES`].
    pub picks: Vec<Pick>,
    /// Whether to chart shares of the week's events instead of counts.
    pub share: bool,
}

impl TrendsForm {
    /// Reads repeated `term`, `name`, `sector`, `region` and `measure=share` from a
    /// query string.
    pub fn read(raw: &str, limits: &Limits) -> Result<TrendsForm, ApiError> {
        let pairs = QueryPairs::parse(raw)?
            .without_blanks()
            .without(|key| key.starts_with("utm_"));
        pairs.only(&["term", "name", "sector", "region", "measure"])?;
        let mut form = TrendsForm {
            share: pairs.choice("measure", &["events", "share"])? == Some("share"),
            ..TrendsForm::default()
        };
        for kind in ["term", "name", "sector", "region"] {
            let values = pairs.filter(kind, MAX_LIST_ITEMS)?;
            for value in values {
                check_length(kind, &value, limits.max_query_chars)?;
                let pick = Pick { kind, value };
                if !form.picks.contains(&pick) {
                    form.picks.push(pick);
                }
            }
        }
        if form.picks.len() > MAX_SERIES {
            return Err(ApiError::bad_parameter(
                "term",
                format!(
                    "{} series asked for, more than the {MAX_SERIES} one chart shows",
                    form.picks.len()
                ),
            ));
        }
        Ok(form)
    }

    /// [`TrendsForm::read`] with the default limits; a bad query reads as empty.
    pub fn from_query(raw: &str) -> TrendsForm {
        TrendsForm::read(raw, &Limits::default()).unwrap_or_default()
    }

    fn values(&self, kind: &str) -> Vec<&str> {
        self.picks
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.value.as_str())
            .collect()
    }
}

/// The picks to chart when none is given: the strongest rising topics.
pub fn default_picks(rising: &TopicRanking, count: usize) -> Vec<Pick> {
    rising
        .topics
        .iter()
        .take(count)
        .map(|topic| Pick {
            kind: pick_kind(topic.kind),
            value: topic.change.name.clone(),
        })
        .collect()
}

/// Everything the trends page shows.
#[derive(Debug, Clone, Default)]
pub struct TrendsView {
    /// The form as asked.
    pub form: TrendsForm,
    /// The charted picks and their series (the rising topics when none was asked).
    pub series: Vec<(Pick, TrendSeries)>,
    /// Whether `series` are the default picks.
    pub defaulted: bool,
    /// Picks that could not be counted, and why.
    pub errors: Vec<String>,
    /// The rising topics at the latest week.
    pub rising: Option<TopicRanking>,
    /// The strongest bursts of the archive.
    pub bursts: Vec<TopicBurst>,
}

/// The `<main>` of the trends page.
pub fn render(view: &TrendsView) -> Markup {
    html! {
        h1 { "Trends" }
        (render_form(&view.form))
        @for error in &view.errors {
            p class="notice error" role="alert" { (error) }
        }
        (render_chart(view))
        div class="columns" {
            (render_rising(view.rising.as_ref()))
            (render_bursts(&view.bursts))
        }
    }
}

fn render_form(form: &TrendsForm) -> Markup {
    let terms = form.values("term");
    let names = form.values("name");
    let sectors = form.values("sector");
    html! {
        form class="trends-form" action="/trends" method="get" {
            fieldset {
                legend { "Terms" }
                @for i in 0..TERM_INPUTS {
                    input type="text" name="term" aria-label={ "Term " (i + 1) }
                        placeholder=(if i == 0 { "memory shortage" } else { "" })
                        value=(terms.get(i).copied().unwrap_or(""));
                }
            }
            fieldset {
                legend { "Names" }
                @for i in 0..NAME_INPUTS {
                    input type="text" name="name" aria-label={ "Name " (i + 1) }
                        value=(names.get(i).copied().unwrap_or(""));
                }
            }
            fieldset class="sectors" {
                legend { "Sectors" }
                @for sector in Sector::KNOWN {
                    @let checked = sectors
                        .iter()
                        .any(|s| backissue_issue::id::slug(s) == sector.slug());
                    label {
                        input type="checkbox" name="sector" value=(sector.as_str()) checked[checked];
                        " " (sector.as_str())
                    }
                }
            }
            fieldset class="measure" {
                legend { "Show" }
                label {
                    input type="radio" name="measure" value="events" checked[!form.share];
                    " events per week"
                }
                label {
                    input type="radio" name="measure" value="share" checked[form.share];
                    " share of the week’s events"
                }
            }
            button type="submit" { "Chart" }
        }
    }
}

fn render_chart(view: &TrendsView) -> Markup {
    if view.series.is_empty() {
        return html! {
            p class="empty" { "Pick a term, a name or a sector to chart its weeks." }
        };
    }
    let x_labels: Vec<String> = view.series[0]
        .1
        .weeks
        .iter()
        .map(|w| w.week.clone())
        .collect();
    let series: Vec<Series> = view
        .series
        .iter()
        .map(|(pick, series)| Series {
            label: format!("{} ({} events)", pick.label(), series.events),
            values: series
                .weeks
                .iter()
                .map(|w| {
                    if view.form.share {
                        w.share
                    } else {
                        f64::from(w.events)
                    }
                })
                .collect(),
        })
        .collect();
    let (title, unit) = if view.form.share {
        ("Share of each week’s news events", "Share of news events")
    } else {
        ("News events per week", "News events")
    };
    let chart = LineChart {
        id: "trend",
        title,
        x_labels: &x_labels,
        unit,
        percent: view.form.share,
        series: &series,
    };
    html! {
        section class="trend-chart" {
            h2 {
                @if view.defaulted { "The rising topics, week by week" } @else { (title) }
            }
            (chart.render())
            p class="downloads" {
                "Download as CSV: "
                @for (n, (pick, _)) in view.series.iter().enumerate() {
                    @if n > 0 { " · " }
                    a href=(pick.csv_href()) download { (pick.label()) }
                }
            }
        }
    }
}

/// The page's parameter that charts a topic of `kind`.
fn pick_kind(kind: TopicKind) -> &'static str {
    match kind {
        TopicKind::Name => "name",
        TopicKind::Phrase => "term",
        TopicKind::Sector => "sector",
        TopicKind::Region => "region",
    }
}

/// A topic linking to its chart, and an aside linking to a search for it.
fn topic_links(kind: TopicKind, text: &str) -> Markup {
    html! {
        a href={ "/trends?" (query_string([(pick_kind(kind), text)])) } { (text) }
        " "
        a class="aside" href={ "/search?" (query_string([("q", text)])) }
            aria-label={ "Search for " (text) } { "search" }
    }
}

fn render_rising(rising: Option<&TopicRanking>) -> Markup {
    html! {
        section class="rising" {
            h2 { "Rising topics" }
            @match rising.filter(|r| !r.topics.is_empty()) {
                None => p class="empty" { "No topic is rising in the latest weeks." },
                Some(rising) => {
                    p class="meta" {
                        "Weeks " (rising.recent_from) " to " (rising.week)
                        " against the weeks from " (rising.baseline_from) "."
                    }
                    ol {
                        @for topic in &rising.topics {
                            @let change = &topic.change;
                            @let evidence: Vec<String> =
                                topic.weekly.iter().map(|w| w.events.to_string()).collect();
                            li {
                                (topic_links(topic.kind, &change.name))
                                " " span class="meta" {
                                    (change.recent_count) " recent against "
                                    (change.baseline_count) " before"
                                }
                                @if !topic.also.is_empty() {
                                    " " span class="meta" { "also " (topic.also.join(", ")) }
                                }
                                (variants(&topic.variants))
                                " "
                                span class="meta evidence"
                                    title={
                                        "events per week, " (rising.baseline_from) " to "
                                        (rising.week)
                                    } { (evidence.join(" ")) }
                            }
                        }
                    }
                },
            }
        }
    }
}

/// How else the archive writes a topic, if it does.
fn variants(variants: &[String]) -> Markup {
    let shown: Vec<&str> = variants.iter().take(5).map(String::as_str).collect();
    html! {
        @if !shown.is_empty() {
            " " span class="meta" { "also written " (shown.join(", ")) }
        }
    }
}

fn render_bursts(bursts: &[TopicBurst]) -> Markup {
    html! {
        section class="bursts" {
            h2 { "Bursts" }
            @if bursts.is_empty() {
                p class="empty" { "No topic burst in the archive." }
            } @else {
                ol {
                    @for burst in bursts {
                        @let weeks = &burst.burst;
                        li {
                            (topic_links(burst.kind, &burst.topic))
                            " "
                            span class="meta" {
                                @if weeks.start == weeks.end {
                                    (weeks.start)
                                } @else {
                                    (weeks.start) " to " (weeks.end) ", peak " (weeks.peak)
                                }
                                ", " (weeks.events) " events"
                            }
                            (variants(&burst.variants))
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use backissue_engine::trends::TrendPoint;

    use super::*;

    fn series(counts: &[u32]) -> TrendSeries {
        TrendSeries {
            query: "term".into(),
            events: counts.iter().sum(),
            weeks: counts
                .iter()
                .enumerate()
                .map(|(i, &events)| TrendPoint {
                    week: format!("2026-W{:02}", i + 1),
                    monday: "2026-01-05".parse().unwrap(),
                    events,
                    total: 10,
                    share: f64::from(events) / 10.0,
                })
                .collect(),
        }
    }

    #[test]
    fn the_form_reads_picks_and_validates_sectors() {
        let form = TrendsForm::from_query("term=memory+shortage&term=&name=Lysandra+Capital&sector=energy&sector=Space&measure=share");
        assert!(form.share);
        assert_eq!(form.picks.len(), 4);
        assert_eq!(
            form.picks[0].to_query().unwrap().term.as_deref(),
            Some("memory shortage")
        );
        assert_eq!(
            form.picks[2].to_query().unwrap().sector,
            Some(Sector::Energy)
        );
        assert!(form.picks[3].to_query().unwrap_err().contains("\"Space\""));
        assert_eq!(
            form.picks[0].csv_href(),
            "/api/trends/series?term=memory%20shortage&format=csv"
        );
        let many = TrendsForm::read(
            "term=a&term=b&term=c&term=d&term=e&term=f&term=g",
            &Limits::default(),
        );
        assert!(many.unwrap_err().message.contains("more than the 6"));
        let long = format!("term={}", "word+".repeat(21_000));
        let error = TrendsForm::read(&long, &Limits::default()).unwrap_err();
        assert!(error.message.starts_with("term: "), "{}", error.message);
        assert!(error.message.contains("more than the"), "{}", error.message);
    }

    #[test]
    fn picked_series_are_charted_with_csv_links() {
        let form = TrendsForm::from_query("term=%3Cb%3E&sector=Energy");
        let view = TrendsView {
            series: vec![
                (form.picks[0].clone(), series(&[1, 0, 3])),
                (form.picks[1].clone(), series(&[2, 2, 2])),
            ],
            form,
            ..TrendsView::default()
        };
        let html = render(&view).into_string();
        assert_eq!(html.matches("<polyline").count(), 2);
        assert!(html.contains("<h2>News events per week</h2>"));
        assert!(html.contains("term “&lt;b&gt;” (4 events)"));
        assert!(html.contains("href=\"/api/trends/series?term=%3Cb%3E&amp;format=csv\" download"));
        assert!(
            html.contains("value=\"&lt;b&gt;\""),
            "the form keeps the term"
        );
        assert!(html.contains("value=\"Energy\" checked"));
        assert!(!html.contains("<b>"));
    }

    #[test]
    fn empty_states() {
        let html = render(&TrendsView::default()).into_string();
        assert!(html.contains("Pick a term, a name or a sector"));
        assert!(html.contains("No topic is rising"));
        assert!(html.contains("No topic burst"));
        assert!(!html.contains("<svg"));
    }
}
