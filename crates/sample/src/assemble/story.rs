//! A piece of news as it is placed in one issue, and the writing of each of its copies.
//!
//! [`Placed`] remembers which templates its earlier copies used, so each new copy is
//! phrased apart from the others, and which documents it has become, so the event's
//! ground truth lists every one of them.

use backissue_issue::{Region, Sector};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::cast::Cast;
use crate::event::Event;
use crate::phrasing::{
    self, commentary, event_vars, kind_text, pick, pick_indexed, weeks_in_words, Vars, MAX_TITLE,
    QUOTE_FRAMES, TERM_BODY, TERM_TOP, THREAD_BODY, THREAD_TOP,
};

/// One event in one issue.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    /// The news.
    pub event: Event,
    /// Its placeholders.
    pub vars: Vars,
    /// The documents it has become, top story first.
    pub doc_ids: Vec<String>,
    /// Its short past-tense gist, for mastheads and sub-headlines.
    pub gist: String,
    /// How many sector briefs copy it.
    pub brief_copies: usize,
    /// Whether the regional watch copies it.
    pub watch_copy: bool,
    used_alt_titles: Vec<usize>,
    used_alt_facts: Vec<usize>,
    used_contexts: Vec<usize>,
}

/// Where a copy goes.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Place<'a> {
    /// A story in the brief of this sector.
    Sector(&'a Sector),
    /// A story in the regional watch of this region.
    Watch(&'a Region),
}

impl Placed {
    /// Places `event`, with placeholders for its organisation, numbers and storyline.
    pub(crate) fn new(rng: &mut ChaCha8Rng, cast: &Cast, event: Event) -> Placed {
        let mut vars = event_vars(&event, cast);
        if let Some(term) = event.term {
            vars.set("term", term);
        }
        if let Some(thread) = &event.thread {
            if let Some((kind, facts, weeks)) = &thread.previous {
                let previous = Event {
                    kind: *kind,
                    facts: facts.clone(),
                    thread: None,
                    term: None,
                    ..event.clone()
                };
                let previous_vars = event_vars(&previous, cast);
                vars.set("prev", pick(rng, kind_text(*kind).gists, &previous_vars));
                vars.set("gap", weeks_in_words(*weeks));
            }
        }
        let text = kind_text(event.kind);
        let quote = pick(rng, text.quotes, &vars);
        vars.set("quote", quote);
        let gist = pick(rng, text.gists, &vars);
        Placed {
            event,
            vars,
            doc_ids: Vec::new(),
            gist,
            brief_copies: 0,
            watch_copy: false,
            used_alt_titles: Vec::new(),
            used_alt_facts: Vec::new(),
            used_contexts: Vec::new(),
        }
    }

    fn context(&mut self, rng: &mut ChaCha8Rng) -> String {
        let pool = kind_text(self.event.kind).contexts;
        match pick_indexed(rng, pool, &self.vars, usize::MAX, &self.used_contexts) {
            Some((index, text)) => {
                self.used_contexts.push(index);
                text
            }
            None => String::new(),
        }
    }

    /// The top story's title and summary.
    pub(crate) fn top_story(&mut self, rng: &mut ChaCha8Rng) -> (String, String) {
        let text = kind_text(self.event.kind);
        let title = pick_indexed(rng, text.top_titles, &self.vars, MAX_TITLE, &[])
            .map(|(_, t)| t)
            .unwrap_or_default();
        let mut sentences = vec![pick(rng, text.facts, &self.vars)];
        if self.vars.get("prev").is_some() {
            sentences.push(pick(rng, THREAD_TOP, &self.vars));
        }
        sentences.push(self.context(rng));
        if rng.gen_bool(0.15) {
            sentences.push(pick(rng, QUOTE_FRAMES, &self.vars));
        }
        if self.event.term.is_some() {
            sentences.push(pick(rng, TERM_TOP, &self.vars));
        }
        (title, join(sentences))
    }

    /// A copy's title and body for `place`: different wording, a longer paragraph.
    pub(crate) fn copy(&mut self, rng: &mut ChaCha8Rng, place: Place<'_>) -> (String, String) {
        let text = kind_text(self.event.kind);
        let mut vars = self.vars.clone();
        if let Place::Watch(region) = place {
            vars.set("region", region.to_string());
            vars.set("the_region", phrasing::the_region(region));
            vars.set("in_region", format!("in {}", phrasing::the_region(region)));
        }
        let title = match place {
            Place::Sector(_) => {
                let picked = pick_indexed(
                    rng,
                    text.alt_titles,
                    &vars,
                    MAX_TITLE,
                    &self.used_alt_titles,
                );
                let (index, title) = picked.unwrap_or_default();
                self.used_alt_titles.push(index);
                title
            }
            Place::Watch(_) => pick_indexed(rng, text.watch_titles, &vars, MAX_TITLE, &[])
                .map(|(_, t)| t)
                .unwrap_or_default(),
        };
        let (fact_index, fact) =
            pick_indexed(rng, text.alt_facts, &vars, usize::MAX, &self.used_alt_facts)
                .unwrap_or_default();
        self.used_alt_facts.push(fact_index);
        let mut sentences = vec![fact];
        if vars.get("prev").is_some() {
            sentences.push(pick(rng, THREAD_BODY, &vars));
        }
        sentences.push(self.context(rng));
        match place {
            Place::Sector(sector) => {
                vars.set("audience", phrasing::audience(sector));
                sentences.push(commentary::implication(rng, sector, &vars));
            }
            Place::Watch(region) => {
                vars.set(
                    "audience",
                    format!("readers in {}", phrasing::the_region(region)),
                );
                sentences.push(commentary::regional_context(rng, &vars));
            }
        }
        if rng.gen_bool(0.3) {
            sentences.push(pick(rng, QUOTE_FRAMES, &vars));
        }
        if self.event.term.is_some() {
            sentences.push(pick(rng, TERM_BODY, &vars));
        }
        (title, join(sentences))
    }

    /// A stat that copies the news: its value and a label naming the organisation.
    pub(crate) fn stat(&self, rng: &mut ChaCha8Rng) -> (String, String) {
        let text = kind_text(self.event.kind);
        let value = phrasing::fill(text.stat_value, &self.vars).unwrap_or_default();
        (value, pick(rng, text.stat_labels, &self.vars))
    }

    /// The masthead headline for this news when it leads the issue.
    pub(crate) fn headline(&self, rng: &mut ChaCha8Rng) -> String {
        pick(rng, kind_text(self.event.kind).headlines, &self.vars)
    }

    /// Trend-indicator evidence: short, no full stop.
    pub(crate) fn evidence(&self, rng: &mut ChaCha8Rng) -> String {
        pick(rng, kind_text(self.event.kind).evidence, &self.vars)
    }
}

/// Sentences joined into one paragraph, empty ones dropped.
fn join(sentences: Vec<String>) -> String {
    sentences
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
