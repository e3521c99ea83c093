//! The trends page: pick terms, names and sectors; see each one's news events per
//! week as a line chart drawn on the server; see which topics are rising and which
//! burst; download any series as CSV from the API.

use std::fmt::Write as _;

use backissue_engine::trends::{TopicBurst, TopicKind, TopicRanking, TrendQuery, TrendSeries};
use backissue_issue::Sector;

use super::chart::{LineChart, Series};
use super::html::{escape, query_string};
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
pub fn render(view: &TrendsView) -> String {
    let mut out = String::with_capacity(32 * 1024);
    out.push_str("<h1>Trends</h1>\n");
    render_form(&view.form, &mut out);
    for error in &view.errors {
        let _ = writeln!(
            out,
            "<p class=\"notice error\" role=\"alert\">{}</p>",
            escape(error)
        );
    }
    render_chart(view, &mut out);
    out.push_str("<div class=\"columns\">\n");
    render_rising(view.rising.as_ref(), &mut out);
    render_bursts(&view.bursts, &mut out);
    out.push_str("</div>\n");
    out
}

fn render_form(form: &TrendsForm, out: &mut String) {
    out.push_str("<form class=\"trends-form\" action=\"/trends\" method=\"get\">\n<fieldset><legend>Terms</legend>");
    let terms = form.values("term");
    for i in 0..TERM_INPUTS {
        let _ = write!(
            out,
            "<input type=\"text\" name=\"term\" aria-label=\"Term {}\" placeholder=\"{}\" value=\"{}\">",
            i + 1,
            if i == 0 { "memory shortage" } else { "" },
            escape(terms.get(i).copied().unwrap_or(""))
        );
    }
    out.push_str("</fieldset>\n<fieldset><legend>Names</legend>");
    let names = form.values("name");
    for i in 0..NAME_INPUTS {
        let _ = write!(
            out,
            "<input type=\"text\" name=\"name\" aria-label=\"Name {}\" value=\"{}\">",
            i + 1,
            escape(names.get(i).copied().unwrap_or(""))
        );
    }
    out.push_str("</fieldset>\n<fieldset class=\"sectors\"><legend>Sectors</legend>");
    let sectors = form.values("sector");
    for sector in Sector::KNOWN {
        let checked = sectors
            .iter()
            .any(|s| backissue_issue::id::slug(s) == sector.slug());
        let _ = write!(
            out,
            "<label><input type=\"checkbox\" name=\"sector\" value=\"{}\"{}> {}</label>",
            escape(sector.as_str()),
            if checked { " checked" } else { "" },
            escape(sector.as_str())
        );
    }
    let _ = writeln!(
        out,
        "</fieldset>\n<fieldset class=\"measure\"><legend>Show</legend>\
         <label><input type=\"radio\" name=\"measure\" value=\"events\"{}> events per week</label>\
         <label><input type=\"radio\" name=\"measure\" value=\"share\"{}> share of the week’s events</label>\
         </fieldset>\n<button type=\"submit\">Chart</button>\n</form>",
        if form.share { "" } else { " checked" },
        if form.share { " checked" } else { "" },
    );
}

fn render_chart(view: &TrendsView, out: &mut String) {
    if view.series.is_empty() {
        out.push_str(
            "<p class=\"empty\">Pick a term, a name or a sector to chart its weeks.</p>\n",
        );
        return;
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
    let _ = writeln!(
        out,
        "<section class=\"trend-chart\"><h2>{}</h2>",
        if view.defaulted {
            "The rising topics, week by week"
        } else {
            title
        }
    );
    out.push_str(
        &LineChart {
            id: "trend",
            title,
            x_labels: &x_labels,
            unit,
            percent: view.form.share,
            series: &series,
        }
        .render(),
    );
    out.push_str("<p class=\"downloads\">Download as CSV: ");
    let links: Vec<String> = view
        .series
        .iter()
        .map(|(pick, _)| {
            format!(
                "<a href=\"{}\" download>{}</a>",
                escape(&pick.csv_href()),
                escape(&pick.label())
            )
        })
        .collect();
    out.push_str(&links.join(" · "));
    out.push_str("</p></section>\n");
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

fn topic_links(kind: TopicKind, text: &str) -> String {
    let param = pick_kind(kind);
    format!(
        "<a href=\"/trends?{}\">{}</a> <a class=\"aside\" href=\"/search?{}\" aria-label=\"Search for {}\">search</a>",
        escape(&query_string([(param, text)])),
        escape(text),
        escape(&query_string([("q", text)])),
        escape(text),
    )
}

fn render_rising(rising: Option<&TopicRanking>, out: &mut String) {
    out.push_str("<section class=\"rising\"><h2>Rising topics</h2>");
    let Some(rising) = rising.filter(|r| !r.topics.is_empty()) else {
        out.push_str("<p class=\"empty\">No topic is rising in the latest weeks.</p></section>\n");
        return;
    };
    let _ = write!(
        out,
        "<p class=\"meta\">Weeks {} to {} against the weeks from {}.</p><ol>",
        escape(&rising.recent_from),
        escape(&rising.week),
        escape(&rising.baseline_from)
    );
    for topic in &rising.topics {
        let change = &topic.change;
        let also = if topic.also.is_empty() {
            String::new()
        } else {
            format!(
                " <span class=\"meta\">also {}</span>",
                escape(&topic.also.join(", "))
            )
        };
        let evidence: Vec<String> = topic.weekly.iter().map(|w| w.events.to_string()).collect();
        let _ = write!(
            out,
            "<li>{} <span class=\"meta\">{} recent against {} before</span>{also}{} \
             <span class=\"meta evidence\" title=\"events per week, {} to {}\">{}</span></li>",
            topic_links(topic.kind, &change.name),
            change.recent_count,
            change.baseline_count,
            variants(&topic.variants),
            escape(&rising.baseline_from),
            escape(&rising.week),
            escape(&evidence.join(" ")),
        );
    }
    out.push_str("</ol></section>\n");
}

/// How else the archive writes a topic, if it does.
fn variants(variants: &[String]) -> String {
    if variants.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = variants.iter().take(5).map(String::as_str).collect();
    format!(
        " <span class=\"meta\">also written {}</span>",
        escape(&shown.join(", "))
    )
}

fn render_bursts(bursts: &[TopicBurst], out: &mut String) {
    out.push_str("<section class=\"bursts\"><h2>Bursts</h2>");
    if bursts.is_empty() {
        out.push_str("<p class=\"empty\">No topic burst in the archive.</p></section>\n");
        return;
    }
    out.push_str("<ol>");
    for burst in bursts {
        let weeks = &burst.burst;
        let span = if weeks.start == weeks.end {
            escape(&weeks.start)
        } else {
            format!("{} to {}", escape(&weeks.start), escape(&weeks.end))
        };
        let peak = if weeks.start == weeks.end {
            String::new()
        } else {
            format!(", peak {}", escape(&weeks.peak))
        };
        let _ = write!(
            out,
            "<li>{} <span class=\"meta\">{span}{peak}, {} events</span>{}</li>",
            topic_links(burst.kind, &burst.topic),
            weeks.events,
            variants(&burst.variants),
        );
    }
    out.push_str("</ol></section>\n");
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
        let html = render(&view);
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
        let html = render(&TrendsView::default());
        assert!(html.contains("Pick a term, a name or a sector"));
        assert!(html.contains("No topic is rising"));
        assert!(html.contains("No topic burst"));
        assert!(!html.contains("<svg"));
    }
}
