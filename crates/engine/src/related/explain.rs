//! The one line that says why a story is related:
//! `shares Lysandra Capital, Finance & Banking · 7 weeks earlier`.

use super::scoring::Components;

/// Most names named in a line.
const NAMES_SHOWN: usize = 2;
/// Most tags named in a line.
const TAGS_SHOWN: usize = 2;

/// Why a story is related: what it shares (the rarest names first, then tags; `Global`
/// only when nothing else is shared), or what kind of likeness it has, and when it was.
pub fn why(
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
        .filter(|t| *t != "Global")
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
                &strings(&["Lysandra Capital"]),
                &strings(&["Finance & Banking", "Global"]),
                &c,
                Some(-7)
            ),
            "shares Lysandra Capital, Finance & Banking · 7 weeks earlier"
        );
        assert_eq!(
            why(&[], &strings(&["Global"]), &c, Some(1)),
            "shares Global · 1 week later"
        );
        let wordy = Components {
            words: 0.5,
            meaning: 0.4,
            ..c
        };
        assert_eq!(
            why(&[], &[], &wordy, Some(0)),
            "similar wording · same week"
        );
        assert_eq!(
            why(&strings(&["A", "B", "C"]), &[], &c, None),
            "shares A, B"
        );
    }
}
