//! `backissue trends`: how terms, names, sectors, regions and sources move week by
//! week, which topics rise, fall and burst, and what a term appears with.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{bail, Result};
use backissue_engine::analytics::{BurstParams, RisingParams};
use backissue_engine::trends::{
    self, bursts_of, rank_topics, strongest_bursts, Cooccurrence, Movement, TopicRanking,
    TrendQuery, TrendSeries, Trends,
};
use backissue_engine::{Document, Error, Index};
use backissue_issue::{Region, Sector, Source};
use clap::{Args, Subcommand};
use serde_json::{json, Value};

use super::embedder::expected_model_id;

/// Arguments of `backissue trends`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TrendsArgs {
    #[command(subcommand)]
    pub action: Option<TrendsAction>,
    #[command(flatten)]
    pub select: Selector,
    #[command(flatten)]
    pub output: Output,
}

/// What else `trends` can show.
#[derive(Debug, Subcommand)]
pub enum TrendsAction {
    /// The topics rising most at a week (names and 1–3-word phrases, by share of events)
    Rising(MovementArgs),
    /// The topics falling most at a week
    Falling(MovementArgs),
    /// When topics were hot (Kleinberg's burst automaton): one selection's bursts, or
    /// the strongest bursts of every topic
    Bursts(BurstArgs),
    /// Which sectors and regions a selection's events carry, week by week
    Cooccur(CooccurArgs),
}

/// What to count: the events matching all of these.
#[derive(Debug, Clone, Default, Args)]
pub struct Selector {
    /// A word or phrase in titles and bodies ("memory shortage"; any word form)
    #[arg(long, value_name = "TERM")]
    pub term: Option<String>,
    /// A name, whole ("Lysandra Capital")
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Any keyword query: "quoted phrases", and the rest as one phrase
    #[arg(long, value_name = "QUERY")]
    pub query: Option<String>,
    /// Only events tagged with this sector
    #[arg(long, value_name = "SECTOR")]
    pub sector: Option<String>,
    /// Only events tagged with this region
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Only events with a story from this source
    #[arg(long, value_name = "SOURCE")]
    pub source: Option<String>,
}

/// Where to read and how to print.
#[derive(Debug, Clone, Args)]
pub struct Output {
    #[command(flatten)]
    pub index: super::IndexArg,
    /// Print JSON on standard output
    #[arg(long, global = true, conflicts_with = "csv")]
    pub json: bool,
    /// Print CSV on standard output
    #[arg(long, global = true)]
    pub csv: bool,
}

/// Arguments of `trends rising` and `trends falling`.
#[derive(Debug, Args)]
pub struct MovementArgs {
    /// The week to rank at: latest, an ISO week (2026-W13) or a date in it
    #[arg(long, value_name = "WEEK", default_value = "latest")]
    pub week: String,
    /// Topics to show
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Weeks in the recent window, ending at --week
    #[arg(long, value_name = "WEEKS", default_value_t = DEFAULT_RECENT)]
    pub recent: usize,
    /// Weeks in the baseline window before the recent one
    #[arg(long, value_name = "WEEKS", default_value_t = DEFAULT_BASELINE)]
    pub baseline: usize,
    /// Least events a topic needs in the window it moves in
    #[arg(long, value_name = "EVENTS", default_value_t = 2.0)]
    pub min_support: f64,
}

/// Arguments of `trends bursts`.
#[derive(Debug, Args)]
pub struct BurstArgs {
    #[command(flatten)]
    pub select: Selector,
    /// Bursts to show (over every topic)
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
    /// How much hotter than usual a burst is (the automaton's s, above 1)
    #[arg(long, value_name = "S", default_value_t = trends::DEFAULT_BURST.s)]
    pub s: f64,
    /// How reluctant the automaton is to enter a burst (its gamma, at least 0)
    #[arg(long, value_name = "GAMMA", default_value_t = trends::DEFAULT_BURST.gamma)]
    pub gamma: f64,
}

/// Arguments of `trends cooccur`.
#[derive(Debug, Args)]
pub struct CooccurArgs {
    #[command(flatten)]
    pub select: Selector,
}

/// The recent window of rising and falling topics, in weeks.
const DEFAULT_RECENT: usize = trends::DEFAULT_RISING.recent_weeks;
/// The baseline window (half a year; see `trends::DEFAULT_RISING`).
const DEFAULT_BASELINE: usize = trends::DEFAULT_RISING.baseline_weeks;

pub fn run(args: &TrendsArgs) -> Result<ExitCode> {
    let index = Arc::new(Index::open(&args.output.index.dir)?);
    index.check_model_id(&expected_model_id())?;
    let out = &args.output;
    match &args.action {
        None => {
            let query = trend_query(&args.select, &index)?;
            let series = Trends::new(index.clone())?.series(&query)?;
            emit(
                out,
                serde_json::to_value(&series)?,
                || series.to_csv(),
                || render_series(&series),
            )
        }
        Some(TrendsAction::Rising(movement)) => ranking(&index, out, movement, Movement::Rising),
        Some(TrendsAction::Falling(movement)) => ranking(&index, out, movement, Movement::Falling),
        Some(TrendsAction::Bursts(burst)) => bursts(&index, out, burst),
        Some(TrendsAction::Cooccur(cooccur)) => {
            let query = trend_query(&cooccur.select, &index)?;
            let topics = trends::topic_table(&index)?;
            let table = Trends::new(index.clone())?.cooccurrence(&query, &topics, 20)?;
            emit(
                out,
                serde_json::to_value(&table)?,
                || table.to_csv(),
                || render_cooccur(&table),
            )
        }
    }
}

fn ranking(
    index: &Index,
    out: &Output,
    args: &MovementArgs,
    movement: Movement,
) -> Result<ExitCode> {
    let table = trends::topic_table(index)?;
    let week = table.weeks.resolve(Some(&args.week))?;
    let params = RisingParams {
        recent_weeks: args.recent,
        baseline_weeks: args.baseline,
        min_support: args.min_support,
        ..trends::DEFAULT_RISING
    };
    let ranking = rank_topics(&table, week, movement, args.limit, &params)?;
    emit(
        out,
        serde_json::to_value(&ranking)?,
        || ranking.to_csv(),
        || render_ranking(&ranking, movement),
    )
}

fn bursts(index: &Arc<Index>, out: &Output, args: &BurstArgs) -> Result<ExitCode> {
    let params = BurstParams {
        s: args.s,
        gamma: args.gamma,
    };
    if selector_is_empty(&args.select) {
        let table = trends::topic_table(index)?;
        let bursts = strongest_bursts(&table, &params, args.limit)?;
        let csv = || {
            trends::csv::bursts_csv(
                bursts
                    .iter()
                    .map(|b| (b.topic.as_str(), Some(b.kind), &b.burst)),
            )
        };
        let human = || {
            let mut text = String::from("strongest bursts (Kleinberg, s and gamma as given):\n");
            for (n, b) in bursts.iter().enumerate() {
                text.push_str(&format!(
                    "{:>2}. {:<32} {} to {} ({} weeks, {} events, weight {:.1})\n",
                    n + 1,
                    b.topic,
                    b.burst.start,
                    b.burst.end,
                    b.burst.weeks,
                    b.burst.events,
                    b.burst.weight
                ));
            }
            text
        };
        return emit(out, serde_json::to_value(&bursts)?, csv, human);
    }
    let query = trend_query(&args.select, index)?;
    let trends = Trends::new(index.clone())?;
    let series = trends.series(&query)?;
    let found = bursts_of(&series.weekly(), trends.weeks(), &params)?;
    let answer = json!({ "query": series.query, "bursts": serde_json::to_value(&found)? });
    let csv = || trends::csv::bursts_csv(found.iter().map(|b| (series.query.as_str(), None, b)));
    let human = || {
        let mut text = format!("bursts of {}:\n", series.query);
        if found.is_empty() {
            text.push_str("  none\n");
        }
        for b in &found {
            text.push_str(&format!(
                "  {} to {} ({} weeks, {} events, weight {:.1})\n",
                b.start, b.end, b.weeks, b.events, b.weight
            ));
        }
        text
    };
    emit(out, answer, csv, human)
}

/// Prints `value` as JSON, CSV or text, as asked.
fn emit(
    out: &Output,
    value: Value,
    csv: impl FnOnce() -> String,
    human: impl FnOnce() -> String,
) -> Result<ExitCode> {
    if out.json {
        println!("{}", serde_json::to_string_pretty(&value)?);
    } else if out.csv {
        print!("{}", csv());
    } else {
        print!("{}", human());
    }
    Ok(ExitCode::SUCCESS)
}

fn selector_is_empty(select: &Selector) -> bool {
    select.term.is_none()
        && select.name.is_none()
        && select.query.is_none()
        && select.sector.is_none()
        && select.region.is_none()
        && select.source.is_none()
}

/// The engine's query for `select`, with sector, region and source checked against
/// what the index's documents carry.
fn trend_query(select: &Selector, index: &Index) -> Result<TrendQuery> {
    if selector_is_empty(select) {
        bail!("nothing to count: give --term, --name, --query, --sector, --region or --source (or a subcommand: rising, falling, bursts, cooccur)");
    }
    let docs = index.documents();
    let sectors = known(docs, |d| {
        d.sectors.iter().map(ToString::to_string).collect()
    });
    let regions = known(docs, |d| {
        d.regions.iter().map(ToString::to_string).collect()
    });
    let sources = known(docs, |d| d.source.iter().map(ToString::to_string).collect());
    Ok(TrendQuery {
        term: select.term.clone(),
        name: select.name.clone(),
        query: select.query.clone(),
        sector: pick("sector", select.sector.as_deref(), &sectors)?
            .map(|s| Sector::from(s.as_str())),
        region: pick("region", select.region.as_deref(), &regions)?
            .map(|s| Region::from(s.as_str())),
        source: pick("source", select.source.as_deref(), &sources)?
            .map(|s| Source::from(s.as_str())),
    })
}

/// Every value `values` gives for some document, by lower-cased spelling.
fn known(docs: &[Document], values: impl Fn(&Document) -> Vec<String>) -> BTreeMap<String, String> {
    docs.iter()
        .flat_map(values)
        .map(|v| (v.to_lowercase(), v))
        .collect()
}

/// The value `given` names among `known` (any case), or a user error listing them.
fn pick(
    parameter: &str,
    given: Option<&str>,
    known: &BTreeMap<String, String>,
) -> Result<Option<String>> {
    let Some(given) = given else { return Ok(None) };
    match known.get(&given.trim().to_lowercase()) {
        Some(value) => Ok(Some(value.clone())),
        None => {
            let values: Vec<&str> = known.values().map(String::as_str).collect();
            Err(Error::invalid(
                parameter,
                format!(
                    "no document carries {given:?}; the index has {}",
                    values.join(", ")
                ),
            )
            .into())
        }
    }
}

fn render_series(series: &TrendSeries) -> String {
    let mut out = format!("{}: {} events\n", series.query, series.events);
    let max = series
        .weeks
        .iter()
        .map(|w| w.events)
        .max()
        .unwrap_or(0)
        .max(1);
    for w in &series.weeks {
        let bar = "█".repeat((w.events as usize * 30).div_ceil(max as usize));
        out.push_str(&format!(
            "{}  {:>3} / {:<3} {:>5.1}%  {bar}\n",
            w.week,
            w.events,
            w.total,
            100.0 * w.share
        ));
    }
    out
}

fn render_ranking(ranking: &TopicRanking, movement: Movement) -> String {
    let word = match movement {
        Movement::Rising => "rising",
        Movement::Falling => "falling",
    };
    let mut out = format!(
        "{word} at {} (recent {} to {}, baseline from {}):\n",
        ranking.week, ranking.recent_from, ranking.week, ranking.baseline_from
    );
    if ranking.topics.is_empty() {
        out.push_str("  none\n");
    }
    for (n, t) in ranking.topics.iter().enumerate() {
        out.push_str(&format!(
            "{:>2}. {:<34} score {:>5.1}  {} recent / {} before events  ×{:.1}\n",
            n + 1,
            t.change.name,
            t.change.score,
            t.change.recent_count,
            t.change.baseline_count,
            t.change.rate_ratio
        ));
        if !t.also.is_empty() {
            out.push_str(&format!("    also: {}\n", t.also.join(", ")));
        }
    }
    out
}

fn render_cooccur(table: &Cooccurrence) -> String {
    let list = |counts: &BTreeMap<String, u32>| {
        let mut pairs: Vec<(&String, &u32)> = counts.iter().collect();
        pairs.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        pairs
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = format!("{}: {} events\n", table.query, table.events);
    out.push_str(&format!(
        "sectors: {}\nregions: {}\n\n",
        list(&table.sectors),
        list(&table.regions)
    ));
    if !table.topics.is_empty() {
        out.push_str("appearing with it (events together, lift over chance):\n");
        for topic in &table.topics {
            out.push_str(&format!(
                "  {:<32} {:<7} {:>3}  ×{:.1}\n",
                topic.topic,
                topic.kind.as_str(),
                topic.events,
                topic.lift
            ));
        }
        out.push('\n');
    }
    for week in &table.weeks {
        out.push_str(&format!(
            "{}  {:>3}  {} | {}\n",
            week.week,
            week.events,
            list(&week.sectors),
            list(&week.regions)
        ));
    }
    out
}
