//! The one line that says why a story is related:
//! `shares Lysandra Capital, Finance & Banking · 7 weeks earlier`,
//! `same kind (outage); shares Kestwick Energy · 3 weeks later`, and for a story whose
//! headline another in the answer already has,
//! `same headline as this story, 9 weeks earlier · shares Selvara Bio · 9 weeks later`.

use super::scoring::Components;

/// Most names named in a line.
const NAMES_SHOWN: usize = 2;
/// Most tags named in a line.
const TAGS_SHOWN: usize = 2;
/// Most headline words of the same kind of news named in a line.
const KIND_SHOWN: usize = 2;

/// Why a story is related: the kind of news both headlines report (when the blend
/// weighs it), what it shares (the rarest names first, then tags not already named;
/// `Global` only when nothing else is shared), or what kind of likeness it has, and
/// when it was.
pub fn why(
    shared_kind: &[String],
    shared_names: &[String],
    shared_tags: &[String],
    components: &Components,
    weeks_apart: Option<i32>,
) -> String {
    let mut shared: Vec<&str> = shared_names
        .iter()
        .take(NAMES_SHOWN)
        .map(String::as_str)
        .collect();
    let specific_tags: Vec<&str> = shared_tags
        .iter()
        .map(String::as_str)
        .filter(|t| *t != "Global" && !shared.contains(t))
        .collect();
    let tags = if specific_tags.is_empty() && shared.is_empty() {
        shared_tags.iter().map(String::as_str).collect()
    } else {
        specific_tags
    };
    shared.extend(tags.into_iter().take(TAGS_SHOWN));
    let what = if !shared.is_empty() {
        format!("shares {}", shared.join(", "))
    } else if components.words > components.meaning {
        "similar wording".to_string()
    } else {
        "similar in meaning".to_string()
    };
    let what = if shared_kind.is_empty() {
        what
    } else {
        let kind: Vec<&str> = shared_kind
            .iter()
            .take(KIND_SHOWN)
            .map(String::as_str)
            .collect();
        let kind = format!("same kind ({})", kind.join(", "));
        if shared.is_empty() {
            kind
        } else {
            format!("{kind}; {what}")
        }
    };
    match weeks_apart {
        Some(weeks) => format!("{what} · {}", when(weeks)),
        None => what,
    }
}

/// `7 weeks earlier`, `1 week later`, `same week`.
pub fn when(weeks_apart: i32) -> String {
    let n = weeks_apart.unsigned_abs();
    let unit = if n == 1 { "week" } else { "weeks" };
    match weeks_apart {
        0 => "same week".to_string(),
        w if w < 0 => format!("{n} {unit} earlier"),
        _ => format!("{n} {unit} later"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn lines_name_what_is_shared_and_when() {
        let c = Components::default();
        assert_eq!(
            why(
                &[],
                &strings(&["Lysandra Capital"]),
                &strings(&["Finance & Banking", "Global"]),
                &c,
                Some(-7)
            ),
            "shares Lysandra Capital, Finance & Banking · 7 weeks earlier"
        );
        assert_eq!(
            why(&[], &[], &strings(&["Global"]), &c, Some(1)),
            "shares Global · 1 week later"
        );
        let wordy = Components {
            words: 0.5,
            meaning: 0.4,
            ..c
        };
        assert_eq!(
            why(&[], &[], &[], &wordy, Some(0)),
            "similar wording · same week"
        );
        assert_eq!(
            why(&[], &strings(&["A", "B", "C"]), &[], &c, None),
            "shares A, B"
        );
        // A region both name and tag is said once.
        assert_eq!(
            why(
                &[],
                &strings(&["China"]),
                &strings(&["China", "Energy"]),
                &c,
                Some(-9)
            ),
            "shares China, Energy · 9 weeks earlier"
        );
        assert_eq!(
            why(&strings(&["outage"]), &[], &[], &c, Some(2)),
            "same kind (outage) · 2 weeks later"
        );
        assert_eq!(
            why(
                &strings(&["outage", "suffers", "x"]),
                &strings(&["Kestwick Energy"]),
                &[],
                &c,
                None
            ),
            "same kind (outage, suffers); shares Kestwick Energy"
        );
    }
}
