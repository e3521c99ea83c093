//! `parse(render(issue)) == issue` over generated issues of every shape the format allows.

use backissue_issue::*;
use proptest::prelude::*;
use proptest::sample::select;

const WORDS: &[&str] = &[
    "agents",
    "memory",
    "chips",
    "robots",
    "edge",
    "training",
    "inference",
    "loan",
    "IPO",
    "data",
    "center",
    "land",
    "voice",
    "evaluation",
    "open-source",
    "model",
    "startup",
    "raises",
    "launches",
    "sues",
    "partners",
    "OpenAI",
    "SoftBank",
    "Holotron-12B",
    "$40B",
    "₹250Cr",
    "v0.5.0",
    "GPT-4o",
    "“quoted”",
    "—",
    "2026",
    "10%",
    "Q1",
    "K-12",
    "AI's",
    "(beta)",
];
const CAPITALISED: &[&str] = &[
    "Agents",
    "Memory",
    "Chips",
    "Robots",
    "Edge",
    "Training",
    "Loan",
    "IPO",
    "Data",
    "Voice",
    "OpenAI",
    "SoftBank",
    "Holotron-12B",
    "$40B",
    "Kestrel",
    "Orion",
    "Nova",
    "Why",
    "How",
];

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(select(WORDS), range).prop_map(|w| w.join(" "))
}

/// A title: capitalised words, never shaped like a line of the format's structure.
fn title() -> impl Strategy<Value = String> {
    (
        select(CAPITALISED),
        proptest::collection::vec(select(CAPITALISED), 2..7),
    )
        .prop_map(|(first, rest)| format!("{first} {}", rest.join(" ")))
}

/// A sentence-ending paragraph.
fn paragraph() -> impl Strategy<Value = String> {
    (select(CAPITALISED), words(4..40)).prop_map(|(first, rest)| format!("{first} {rest}."))
}

fn short_phrase() -> impl Strategy<Value = String> {
    (select(CAPITALISED), words(1..6)).prop_map(|(first, rest)| format!("{first} {rest}"))
}

fn url() -> impl Strategy<Value = String> {
    ("[a-z]{3,10}", "[a-z0-9-]{1,20}").prop_map(|(host, path)| format!("https://{host}.com/{path}"))
}

fn sector() -> impl Strategy<Value = Sector> {
    select(Sector::KNOWN.to_vec())
}

fn region() -> impl Strategy<Value = Region> {
    select(Region::KNOWN.to_vec())
}

fn level() -> impl Strategy<Value = Level> {
    select(Level::ALL.to_vec())
}

fn source() -> impl Strategy<Value = Source> {
    prop_oneof![
        select(Source::KNOWN.to_vec()),
        "[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8})?".prop_map(|s| Source::from(s.as_str())),
    ]
}

fn top_stories() -> impl Strategy<Value = Vec<TopStory>> {
    proptest::collection::vec(
        (
            title(),
            paragraph(),
            proptest::collection::btree_set(sector(), 1..4),
            proptest::collection::btree_set(region(), 1..4),
            0u8..=100,
        ),
        1..12,
    )
    .prop_map(|stories| {
        stories
            .into_iter()
            .enumerate()
            .map(|(i, (title, summary, sectors, regions, score))| TopStory {
                rank: i as u32 + 1,
                title,
                summary,
                sectors: sectors.into_iter().collect(),
                regions: regions.into_iter().collect(),
                score,
            })
            .collect()
    })
}

fn sourced_stories() -> impl Strategy<Value = Vec<SourcedStory>> {
    proptest::collection::vec(
        (title(), paragraph(), source()).prop_map(|(title, body, source)| SourcedStory {
            title,
            body,
            source,
        }),
        1..5,
    )
}

fn sector_brief() -> impl Strategy<Value = SectorBrief> {
    (
        sector(),
        short_phrase(),
        proptest::collection::vec(("[$₹]?[0-9]{1,3}[BMK%]?", short_phrase()), 0..4),
        sourced_stories(),
        paragraph(),
    )
        .prop_map(
            |(sector, headline, stats, stories, hidden_signal)| SectorBrief {
                sector,
                headline,
                stats: stats
                    .into_iter()
                    .map(|(value, label)| Stat { value, label })
                    .collect(),
                stories,
                hidden_signal,
            },
        )
}

fn resource() -> impl Strategy<Value = Resource> {
    (
        level(),
        prop_oneof![
            select(ResourceKind::KNOWN.to_vec()),
            "[A-Z][a-z]{3,9}".prop_map(|k| ResourceKind::from(k.as_str())),
        ],
        title(),
        paragraph(),
        url(),
    )
        .prop_map(|(level, kind, title, description, url)| Resource {
            level,
            kind,
            title,
            description,
            url,
        })
}

fn learning_path() -> impl Strategy<Value = LearningPath> {
    (
        level(),
        title(),
        proptest::collection::vec((short_phrase(), 1u32..1000, url()), 1..6),
        paragraph(),
    )
        .prop_map(|(level, title, steps, outcome)| LearningPath {
            level,
            title,
            steps: steps
                .into_iter()
                .enumerate()
                .map(|(i, (text, minutes, url))| PathStep {
                    n: i as u32 + 1,
                    text,
                    minutes,
                    url,
                })
                .collect(),
            outcome,
        })
}

fn issue() -> impl Strategy<Value = Issue> {
    (
        (
            title(),
            proptest::collection::vec(paragraph(), 1..3),
            top_stories(),
        ),
        proptest::collection::vec(
            (title(), paragraph(), 0u32..200).prop_map(|(title, body, minute)| Insight {
                title,
                body,
                minute,
            }),
            0..6,
        ),
        proptest::collection::vec(sector_brief(), 0..5),
        proptest::collection::vec(resource(), 0..8),
        proptest::collection::vec(learning_path(), 0..4),
        proptest::option::of(
            (region(), short_phrase(), sourced_stories(), paragraph()).prop_map(
                |(region, summary, stories, signal)| RegionalWatch {
                    region,
                    summary,
                    stories,
                    signal,
                },
            ),
        ),
        proptest::option::of(paragraph()),
        proptest::collection::vec(
            (short_phrase(), short_phrase())
                .prop_map(|(evidence, theme)| TrendIndicator { evidence, theme }),
            0..4,
        ),
    )
        .prop_map(
            |(
                (headline, summary, top_stories),
                insights,
                sector_briefs,
                resources,
                learning_paths,
                regional_watch,
                closing,
                trend_indicators,
            )| Issue {
                id: "2026-03-27".into(),
                date: "2026-03-27".parse().unwrap(),
                date_source: DateSource::FileName,
                headline,
                summary: summary.join("\n\n"),
                top_stories,
                insights,
                sector_briefs,
                resources,
                learning_paths,
                regional_watch,
                closing,
                trend_indicators,
                warnings: Vec::new(),
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn parse_of_render_is_the_issue(issue in issue()) {
        let text = render(&issue);
        let parsed = parse_str(&text, "2026-03-27.txt", None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(parsed, issue);
    }

    #[test]
    fn render_of_parse_is_stable(issue in issue()) {
        let once = render(&issue);
        let parsed = parse_str(&once, "2026-03-27.txt", None).unwrap();
        prop_assert_eq!(render(&parsed), once);
    }
}

/// Free text shaped like lines of the format's structure.
const SHAPED_LINES: &[&str] = &[
    "1. Step",
    "12. Patients were randomised into two arms",
    "https://example.com/a",
    "Source: Reuters",
    "#2",
    "#3",
    "~12min",
    "Intermediate Tool",
    "Advanced Robotics",
    "After this: more",
    "Hidden Signal",
    "INDIA AI WATCH",
    "India Signal",
    "US Signal",
    "95",
    "TechUS",
];

/// Paragraphs that begin like lines of the format's structure.
const SHAPED_PARAGRAPHS: &[&str] = &[
    "1. Patients were randomised into two arms and followed for a year.",
    "Source: a trial of 1,200 adults, reported in March.",
    "#3 in the rankings, the model now leads its class.",
    "https://example.com/a explains the method.",
    "After this: the results follow.",
];

/// What a free-text field may hold when it reads like structure.
#[derive(Clone, Copy)]
enum Takes {
    Anything,
    /// Short, and neither `Source: …` nor `Hidden Signal` (a stat's value or label).
    Stat,
    /// A paragraph: nothing after it anchors it (closing, a marker's paragraph).
    Paragraph,
}

impl Takes {
    fn choices(self) -> Vec<&'static str> {
        match self {
            Takes::Anything => SHAPED_LINES
                .iter()
                .chain(SHAPED_PARAGRAPHS)
                .copied()
                .collect(),
            Takes::Stat => SHAPED_LINES
                .iter()
                .copied()
                .filter(|l| l.chars().count() <= 40)
                .filter(|l| !l.starts_with("Source: ") && *l != "Hidden Signal")
                .collect(),
            Takes::Paragraph => SHAPED_PARAGRAPHS.to_vec(),
        }
    }
}

/// Every free-text field of `issue`, with what it may hold.
fn free_text_fields(issue: &mut Issue) -> Vec<(&mut String, Takes)> {
    use Takes::*;
    let mut fields: Vec<(&mut String, Takes)> = vec![
        (&mut issue.headline, Anything),
        (&mut issue.summary, Anything),
    ];
    for story in &mut issue.top_stories {
        fields.push((&mut story.title, Anything));
        fields.push((&mut story.summary, Anything));
    }
    for insight in &mut issue.insights {
        fields.push((&mut insight.title, Anything));
        fields.push((&mut insight.body, Anything));
    }
    for brief in &mut issue.sector_briefs {
        fields.push((&mut brief.headline, Anything));
        for stat in &mut brief.stats {
            fields.push((&mut stat.value, Stat));
            fields.push((&mut stat.label, Stat));
        }
        for story in &mut brief.stories {
            fields.push((&mut story.title, Anything));
            fields.push((&mut story.body, Anything));
        }
        fields.push((&mut brief.hidden_signal, Paragraph));
    }
    for resource in &mut issue.resources {
        fields.push((&mut resource.title, Anything));
        fields.push((&mut resource.description, Anything));
    }
    for path in &mut issue.learning_paths {
        fields.push((&mut path.title, Anything));
        for step in &mut path.steps {
            fields.push((&mut step.text, Anything));
        }
        fields.push((&mut path.outcome, Anything));
    }
    if let Some(watch) = &mut issue.regional_watch {
        fields.push((&mut watch.summary, Anything));
        for story in &mut watch.stories {
            fields.push((&mut story.title, Anything));
            fields.push((&mut story.body, Anything));
        }
        fields.push((&mut watch.signal, Paragraph));
    }
    if let Some(closing) = &mut issue.closing {
        fields.push((closing, Paragraph));
    }
    fields
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    /// A free-text field is read as text wherever its place says text, whatever it reads like.
    #[test]
    fn structure_shaped_free_text_round_trips(
        issue in issue(),
        picks in proptest::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>()),
            1..12,
        ),
    ) {
        let mut issue = issue;
        for (field, shape) in picks {
            let mut fields = free_text_fields(&mut issue);
            let index = field.index(fields.len());
            let (text, takes) = &mut fields[index];
            let choices = takes.choices();
            **text = choices[shape.index(choices.len())].to_string();
        }
        let text = render(&issue);
        let parsed = parse_str(&text, "2026-03-27.txt", None)
            .map_err(|e| TestCaseError::fail(format!("{e}\n---\n{text}")))?;
        prop_assert_eq!(parsed, issue);
    }
}

#[test]
fn the_seed_round_trips() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!(
            "skipped: no seed issue at {} (CI always has it)",
            path.display()
        );
        return;
    };
    let issue = parse_str(&text, "seed.txt", None).unwrap();
    let rendered = render(&issue);
    assert_eq!(parse_str(&rendered, "seed.txt", None).unwrap(), issue);
    // The renderer writes the seed back byte for byte, durations included.
    assert_eq!(rendered.trim_end(), text.trim_end());
}
