//! How each kind of news is written, place by place.
//!
//! One [`KindText`] per [`EventKind`]: titles for the top story, for a copy in a
//! sector brief and for a copy in the regional watch; opening sentences in two
//! phrasings; follow-ups; the short gist that mastheads and closings quote; a stat;
//! trend-indicator evidence; resources; quotes. The pools live beside the kinds they
//! describe (`deals`, `products`, `scrutiny`).

use crate::event::EventKind;

use super::{deals, products, scrutiny};

/// Every way one kind of news is written.
#[derive(Debug)]
pub(crate) struct KindText {
    /// Top-story titles.
    pub top_titles: &'static [&'static str],
    /// Titles for the copy in a sector brief (and for sector-only stories).
    pub alt_titles: &'static [&'static str],
    /// Titles for the copy in the regional watch.
    pub watch_titles: &'static [&'static str],
    /// Short masthead headlines.
    pub headlines: &'static [&'static str],
    /// The top story's opening sentence.
    pub facts: &'static [&'static str],
    /// A copy's opening sentence, phrased apart from `facts`.
    pub alt_facts: &'static [&'static str],
    /// Follow-up sentences.
    pub contexts: &'static [&'static str],
    /// Past-tense clauses for mastheads, closings and storyline back-references.
    pub gists: &'static [&'static str],
    /// The stat's value.
    pub stat_value: &'static str,
    /// The stat's label; it names the organisation.
    pub stat_labels: &'static [&'static str],
    /// Trend-indicator evidence: short, no full stop.
    pub evidence: &'static [&'static str],
    /// Resources that copy the news: (kind, title, description).
    pub resources: &'static [(&'static str, &'static str, &'static str)],
    /// Things the organisation's person says, without closing punctuation.
    pub quotes: &'static [&'static str],
}

/// How news of `kind` is written.
pub(crate) fn kind_text(kind: EventKind) -> &'static KindText {
    match kind {
        EventKind::Raise => &deals::RAISE,
        EventKind::Acquisition => &deals::ACQUISITION,
        EventKind::Ipo => &deals::IPO,
        EventKind::Contract => &deals::CONTRACT,
        EventKind::Partnership => &deals::PARTNERSHIP,
        EventKind::Expansion => &deals::EXPANSION,
        EventKind::Launch => &products::LAUNCH,
        EventKind::Benchmark => &products::BENCHMARK,
        EventKind::Outage => &products::OUTAGE,
        EventKind::Recall => &products::RECALL,
        EventKind::Lawsuit => &scrutiny::LAWSUIT,
        EventKind::Settlement => &scrutiny::SETTLEMENT,
        EventKind::Probe => &scrutiny::PROBE,
        EventKind::Approval => &scrutiny::APPROVAL,
        EventKind::Appointment => &scrutiny::APPOINTMENT,
        EventKind::Layoffs => &scrutiny::LAYOFFS,
    }
}

/// A top story's back-reference to the storyline's previous step (`{gap}`, `{prev}`).
pub(crate) const THREAD_TOP: &[&str] = &[
    "It comes {gap} after {prev}.",
    "Only {gap} earlier, {prev}.",
    "The news follows {gap} after {prev}.",
    "That lands {gap} after {prev}, and the two are closely linked.",
];

/// A copy's back-reference to the storyline's previous step.
pub(crate) const THREAD_BODY: &[&str] = &[
    "The move lands {gap} after {prev}, a sequence customers and rivals are watching closely.",
    "Context matters here: {gap} ago, {prev}.",
    "Readers will remember that {gap} ago {prev}; this is the next chapter.",
    "It is the latest turn in a story that began when {prev}, {gap} ago.",
];

/// A top story's sentence naming a planted trend term (`{term}`).
pub(crate) const TERM_TOP: &[&str] = &[
    "Analysts tie the move to the wider push around {term}.",
    "It adds fuel to the debate over {term}.",
    "The timing puts {term} back on boardroom agendas.",
    "Executives pointed to {term} when explaining the decision.",
    "Investors read it as another bet on {term}.",
    "Few doubt the link to {term}, the theme of the moment.",
    "Insiders say {term} came up in every board meeting before the announcement.",
    "Rivals will read it through the lens of {term}.",
    "Expect {term} to come up on the next earnings call.",
    "Consultants have been pitching {term} for months, and this is the payoff.",
];

/// A copy's sentence naming a planted trend term (`{term}`, `{audience}`).
pub(crate) const TERM_BODY: &[&str] = &[
    "For {audience}, the story feeds the growing conversation about {term}.",
    "It is also a sign that the conversation about {term} is moving from slideware to budgets.",
    "Watch how it shapes plans around {term} in the coming quarters.",
    "People close to the company say the debate over {term} shaped the decision.",
    "Behind the announcement sits a bigger question about {term}.",
    "Procurement teams already ask about {term}, and this will sharpen their questions.",
    "Analysts covering {audience} now rank {term} among their top three themes.",
];

/// A quote from the organisation's person (`{quote}`).
pub(crate) const QUOTE_FRAMES: &[&str] = &[
    "“{quote},” said {person}, {org's} {role}.",
    "“{quote},” {person}, the company's {role}, said in a statement.",
    "{person}, {role} at {org}, put it simply: “{quote}.”",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phrasing::{fill, Vars};

    fn sample_vars() -> Vars {
        let mut vars = Vars::default();
        for (key, value) in [
            ("org", "Bramblecote Therapeutics"),
            ("org's", "Bramblecote Therapeutics'"),
            ("partner", "Quarrystone Automation"),
            ("product", "Shearwater Classroom 7"),
            ("noun", "tutoring assistant"),
            ("person", "Oluwaseun Hollingsworth"),
            ("role", "chief technology officer"),
            ("Role", "Chief Technology Officer"),
            ("amount", "₹12,000Cr"),
            ("version", "v4.11.8"),
            ("count", "12,000"),
            ("pct", "63%"),
            ("years", "24"),
            ("region", "Southeast Asia"),
            ("the_region", "Southeast Asia"),
            ("in_region", "in Southeast Asia"),
        ] {
            vars.set(key, value);
        }
        vars
    }

    #[test]
    fn every_template_fills_and_titles_stay_short() {
        let vars = sample_vars();
        for kind in EventKind::ALL {
            let text = kind_text(kind);
            let titles = [text.top_titles, text.alt_titles, text.watch_titles];
            for template in titles.iter().flat_map(|pool| pool.iter()) {
                let title = fill(template, &vars).expect(template);
                // The longest names in the cast still leave most templates under the limit;
                // the picker falls back to shorter ones, so only the worst case is checked here.
                assert!(title.chars().count() < 110, "{kind:?}: {title}");
            }
            let pools = [
                text.headlines,
                text.facts,
                text.alt_facts,
                text.contexts,
                text.gists,
                text.stat_labels,
                text.evidence,
            ];
            for template in pools.iter().flat_map(|pool| pool.iter()) {
                assert!(fill(template, &vars).is_some(), "{kind:?}: {template}");
            }
            for (kind_name, title, description) in text.resources {
                assert!(fill(title, &vars).is_some() && fill(description, &vars).is_some());
                assert!(!kind_name.is_empty());
            }
            for evidence in text.evidence {
                assert!(!evidence.ends_with('.'));
            }
            assert!(text.stat_labels.iter().all(|l| l.contains("{org}")));
        }
    }
}
