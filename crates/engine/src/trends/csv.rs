//! The CSV forms of trend answers, shared by `backissue trends --csv` and the API's
//! `format=csv`, so an analyst's spreadsheet reads the same columns from either.

use super::count::Cooccurrence;
use super::rank::{BurstWeeks, TopicRanking};
use super::topics::TopicKind;

/// `text` as one CSV field: quoted (quotes doubled) when it holds a comma, a quote
/// or a line break.
///
/// Text that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return) gets a leading `'`, as OWASP's CSV-injection
/// advice says: the archive's text comes from outside, and an analyst opens the
/// file in Excel. Only text goes through here; numbers are written as numbers.
pub fn field(text: &str) -> String {
    let neutral;
    let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        neutral = format!("'{text}");
        neutral.as_str()
    } else {
        text
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn kind_name(kind: Option<TopicKind>) -> &'static str {
    kind.map_or("", TopicKind::as_str)
}

impl TopicRanking {
    /// `rank,week,kind,topic,score,direction,recent_rate,baseline_rate,recent_count,
    /// baseline_count,rate_ratio,also`, one line per topic (`also`: the topics with
    /// the same weekly counts, `;`-separated).
    pub fn to_csv(&self) -> String {
        let mut out = String::from(
            "rank,week,kind,topic,score,direction,recent_rate,baseline_rate,recent_count,baseline_count,rate_ratio,also\n",
        );
        for (rank, topic) in self.topics.iter().enumerate() {
            let c = &topic.change;
            let direction = serde_json::to_value(c.direction).ok();
            out.push_str(&format!(
                "{},{},{},{},{:.4},{},{:.6},{:.6},{},{},{:.4},{}\n",
                rank + 1,
                self.week,
                kind_name(Some(topic.kind)),
                field(&c.name),
                c.score,
                direction.as_ref().and_then(|d| d.as_str()).unwrap_or(""),
                c.recent_rate,
                c.baseline_rate,
                c.recent_count,
                c.baseline_count,
                c.rate_ratio,
                field(&topic.also.join(";")),
            ));
        }
        out
    }
}

impl Cooccurrence {
    /// `week,facet,value,events,lift`: the whole archive's counts (week `all`), then
    /// each week's, per sector and region; then the co-occurring topics (week `all`,
    /// facet `topic:KIND`, with their lift; `lift` is empty on the other lines).
    pub fn to_csv(&self) -> String {
        let mut out = String::from("week,facet,value,events,lift\n");
        let mut rows =
            |week: &str, facet: &str, counts: &std::collections::BTreeMap<String, u32>| {
                for (value, events) in counts {
                    out.push_str(&format!("{week},{facet},{},{events},\n", field(value)));
                }
            };
        rows("all", "sector", &self.sectors);
        rows("all", "region", &self.regions);
        for week in &self.weeks {
            rows(&week.week, "sector", &week.sectors);
            rows(&week.week, "region", &week.regions);
        }
        for topic in &self.topics {
            out.push_str(&format!(
                "all,topic:{},{},{},{:.3}\n",
                topic.kind.as_str(),
                field(&topic.topic),
                topic.events,
                topic.lift
            ));
        }
        out
    }
}

/// `topic,kind,start,end,weeks,events,weight`, one line per burst (`kind` is empty
/// for a query's own bursts).
pub fn bursts_csv<'a>(
    bursts: impl IntoIterator<Item = (&'a str, Option<TopicKind>, &'a BurstWeeks)>,
) -> String {
    let mut out = String::from("topic,kind,start,end,weeks,events,weight\n");
    for (topic, kind, b) in bursts {
        out.push_str(&format!(
            "{},{},{},{},{},{},{:.4}\n",
            field(topic),
            kind_name(kind),
            b.start,
            b.end,
            b.weeks,
            b.events,
            b.weight
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("Finance & Banking"), "Finance & Banking");
        assert_eq!(field("a, b"), "\"a, b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("two\nlines"), "\"two\nlines\"");
    }

    #[test]
    fn formulas_are_neutralised_for_spreadsheets() {
        assert_eq!(
            field("=HYPERLINK(\"http://x\")"),
            "\"'=HYPERLINK(\"\"http://x\"\")\""
        );
        assert_eq!(field("+1 analyst"), "'+1 analyst");
        assert_eq!(field("-cmd"), "'-cmd");
        assert_eq!(field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(field("\tindent"), "'\tindent");
        assert_eq!(field("a-b = c"), "a-b = c");
    }
}
