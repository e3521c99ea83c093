//! Writing: templates with `{placeholders}`, filled from an event's facts.
//!
//! Every place a piece of news appears draws from its own pool of templates (top
//! story, sector story, regional story, stat, resource), so the same news is phrased
//! differently wherever it is copied. A template whose placeholder has no value is
//! skipped, never half-filled.

use backissue_issue::{Region, Sector};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::cast::Cast;
use crate::event::Event;

pub(crate) mod commentary;
mod deals;
pub(crate) mod learning;
mod news;
mod products;
mod scrutiny;

pub(crate) use news::{
    kind_text, KindText, QUOTE_FRAMES, TERM_BODY, TERM_TOP, THREAD_BODY, THREAD_TOP,
};

/// Titles stay under this many characters.
pub(crate) const MAX_TITLE: usize = 89;

/// Named values for placeholders.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vars {
    pairs: Vec<(&'static str, String)>,
}

impl Vars {
    /// Sets `key` (replacing an earlier value).
    pub(crate) fn set(&mut self, key: &'static str, value: impl Into<String>) {
        let value = value.into();
        match self.pairs.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => pair.1 = value,
            None => self.pairs.push((key, value)),
        }
    }

    /// The value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// `template` with every `{key}` replaced, or `None` when a key has no value.
pub(crate) fn fill(template: &str, vars: &Vars) -> Option<String> {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}')? + open;
        out.push_str(vars.get(&rest[open + 1..close])?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

/// One template of `pool`, filled, at most `max_chars` long and not one of `avoid`:
/// its index and text. Falls back to the shortest fillable template.
pub(crate) fn pick_indexed(
    rng: &mut ChaCha8Rng,
    pool: &[&str],
    vars: &Vars,
    max_chars: usize,
    avoid: &[usize],
) -> Option<(usize, String)> {
    if pool.is_empty() {
        return None;
    }
    let start = rng.gen_range(0..pool.len());
    let mut shortest: Option<(usize, String)> = None;
    for offset in 0..pool.len() {
        let index = (start + offset) % pool.len();
        let Some(text) = fill(pool[index], vars) else {
            continue;
        };
        let fits = text.chars().count() <= max_chars;
        if fits && !avoid.contains(&index) {
            return Some((index, text));
        }
        if shortest
            .as_ref()
            .is_none_or(|(_, s)| text.chars().count() < s.chars().count())
        {
            shortest = Some((index, text));
        }
    }
    shortest
}

/// One template of `pool`, filled (any length).
pub(crate) fn pick(rng: &mut ChaCha8Rng, pool: &[&str], vars: &Vars) -> String {
    pick_indexed(rng, pool, vars, usize::MAX, &[])
        .map(|(_, text)| text)
        .unwrap_or_default()
}

/// `text` with its first letter in upper case.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `Veridian Labs` → `Veridian Labs'`, `Quillon Health` → `Quillon Health's`.
pub(crate) fn possessive(name: &str) -> String {
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}

/// `Title Case` for a lower-case phrase such as a role: `chief executive` → `Chief Executive`.
pub(crate) fn title_case(text: &str) -> String {
    text.split(' ')
        .map(capitalise)
        .collect::<Vec<_>>()
        .join(" ")
}

/// A number of weeks in words: `a week`, `three weeks`.
pub(crate) fn weeks_in_words(weeks: u32) -> String {
    const WORDS: [&str; 13] = [
        "", "a", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
        "twelve",
    ];
    match weeks {
        1 => "a week".to_string(),
        2..=12 => format!("{} weeks", WORDS[weeks as usize]),
        _ => format!("{weeks} weeks"),
    }
}

/// The region as a sentence names it: `the US`, `India`.
pub(crate) fn the_region(region: &Region) -> String {
    match region {
        Region::Us | Region::Uk | Region::Eu | Region::Uae | Region::MiddleEast => {
            format!("the {region}")
        }
        Region::Global => "markets worldwide".to_string(),
        _ => region.to_string(),
    }
}

/// Who reads a sector's brief, in a sentence: `hospital networks`.
pub(crate) fn audience(sector: &Sector) -> &'static str {
    match sector {
        Sector::Tech => "developers and cloud buyers",
        Sector::Healthcare => "hospital networks",
        Sector::FinanceBanking => "banks and insurers",
        Sector::Manufacturing => "plant managers",
        Sector::EducationEdTech => "schools and universities",
        _ => "grid operators and utilities",
    }
}

/// The placeholders of `event`: organisation, partner, product, person, numbers, region.
pub(crate) fn event_vars(event: &Event, cast: &Cast) -> Vars {
    let org = &cast.orgs[event.org];
    let mut vars = Vars::default();
    vars.set("org", org.name.clone());
    vars.set("org's", possessive(&org.name));
    vars.set("product", org.product.name.clone());
    vars.set("noun", org.product.noun);
    vars.set("person", org.person.name.clone());
    vars.set("role", org.person.role);
    vars.set("Role", title_case(org.person.role));
    if let Some(partner) = event.partner {
        vars.set("partner", cast.orgs[partner].name.clone());
        vars.set("partner's", possessive(&cast.orgs[partner].name));
    }
    let facts = &event.facts;
    vars.set("amount", facts.amount.clone());
    vars.set("version", facts.version.clone());
    vars.set("count", facts.count.clone());
    vars.set("pct", facts.pct.clone());
    vars.set("years", facts.years.to_string());
    vars.set("region", facts.region.to_string());
    vars.set("the_region", the_region(&facts.region));
    vars.set("in_region", format!("in {}", the_region(&facts.region)));
    vars
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fill_replaces_every_placeholder_or_gives_up() {
        let mut vars = Vars::default();
        vars.set("org", "Veridian Labs");
        vars.set("amount", "$40M");
        assert_eq!(
            fill("{org} raises {amount}", &vars).as_deref(),
            Some("Veridian Labs raises $40M")
        );
        assert_eq!(fill("{org} and {partner}", &vars), None);
    }

    #[test]
    fn words_and_regions_read_naturally() {
        assert_eq!(weeks_in_words(1), "a week");
        assert_eq!(weeks_in_words(3), "three weeks");
        assert_eq!(the_region(&Region::Us), "the US");
        assert_eq!(the_region(&Region::India), "India");
        assert_eq!(title_case("chief executive"), "Chief Executive");
    }
}
