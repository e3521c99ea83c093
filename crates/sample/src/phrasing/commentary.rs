//! The editor's voice: masthead, brief headlines, hidden signals, regional signals,
//! closing paragraphs and themes. None of it names a planted trend term, so trends are
//! only ever counted where the news itself mentions them.

use backissue_issue::{Region, Sector};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{audience, capitalise, pick, the_region, Vars};

/// Themes of a week: (title case for headlines and indicators, lower case for sentences).
pub(crate) const THEMES: &[(&str, &str)] = &[
    (
        "Capital Floods Applied AI",
        "capital flooding into applied AI",
    ),
    (
        "Infrastructure Reality Check",
        "an infrastructure reality check",
    ),
    (
        "Regulators Sharpen Their Focus",
        "regulators sharpening their focus",
    ),
    ("Consolidation Accelerates", "accelerating consolidation"),
    (
        "Enterprise Buyers Demand Proof",
        "enterprise buyers demanding proof",
    ),
    ("The Cost of Compute Bites", "the rising cost of compute"),
    (
        "Edge Deployments Go Mainstream",
        "edge deployments going mainstream",
    ),
    ("Talent Wars Intensify", "an intensifying fight for talent"),
    ("Public Markets Reopen", "public markets reopening"),
    (
        "Reliability Becomes a Feature",
        "reliability becoming a selling point",
    ),
    ("Open Models Gain Ground", "open models gaining ground"),
    ("Procurement Tightens", "tighter procurement"),
    ("Safety Moves Up the Agenda", "safety moving up the agenda"),
    ("Regional Champions Emerge", "regional champions emerging"),
    (
        "Automation Reaches the Back Office",
        "automation reaching the back office",
    ),
    (
        "Pilots Turn Into Contracts",
        "pilots turning into contracts",
    ),
    ("Courts Shape the Market", "courts shaping the market"),
    ("Physical AI Leaves the Lab", "physical AI leaving the lab"),
    ("Discipline Replaces Hype", "discipline replacing hype"),
    (
        "Power Becomes the Bottleneck",
        "power becoming the bottleneck",
    ),
];

/// A third sentence for a sector story, per sector (`{org}`, `{product}`, `{noun}`).
fn implications(sector: &Sector) -> &'static [&'static str] {
    match sector {
        Sector::Tech => &[
            "For developers, the practical question is whether {product} fits existing deployment pipelines without rewrites.",
            "Cloud buyers will want to see whether {org} can hold its pricing once usage scales.",
            "It raises the bar for platform teams comparing vendors this year.",
        ],
        Sector::Healthcare => &[
            "For hospital networks, the question is whether {product} clears clinical validation before budgets reset.",
            "Clinicians will judge {org} on whether it reduces documentation time without adding review work.",
            "Health systems weighing similar tools now have a reference point for procurement.",
        ],
        Sector::FinanceBanking => &[
            "Banks and insurers will watch whether {org} can satisfy model-risk teams as well as traders.",
            "For lenders, it sharpens the case for automating checks that still run on spreadsheets.",
            "Compliance officers will ask how {product} documents its decisions before signing off.",
        ],
        Sector::Manufacturing => &[
            "Plant managers will look for proof that {product} survives dust, heat and three-shift schedules.",
            "For factories, it shortens the path from a pilot cell to a full production line.",
            "Suppliers that depend on {org} may need to requalify parts of their lines.",
        ],
        Sector::EducationEdTech => &[
            "Schools and universities will want evidence that {product} improves outcomes, not just engagement.",
            "For teachers, the test is whether it saves marking time without flattening feedback.",
            "District buyers now have one more vendor to weigh against tight budgets.",
        ],
        _ => &[
            "Grid operators will ask how much load the new capacity adds and when it comes online.",
            "For utilities, it is another data point in forecasting demand from compute-heavy customers.",
            "Power planners may need to revisit interconnection timelines.",
        ],
    }
}

/// A sentence on what the news means for the sector's readers.
pub(crate) fn implication(rng: &mut ChaCha8Rng, sector: &Sector, vars: &Vars) -> String {
    pick(rng, implications(sector), vars)
}

const REGIONAL_CONTEXTS: &[&str] = &[
    "It is one of the more notable moves {in_region} this month, and local investors took note.",
    "Customers {in_region} were among the first to feel the change.",
    "The move strengthens the case for {the_region} as a base for applied AI companies.",
    "Policy makers {in_region} have been courting exactly this kind of activity.",
    "Local rivals {in_region} now face a better-funded competitor.",
];

/// A sentence placing the news in the watched region (`{in_region}`, `{the_region}`).
pub(crate) fn regional_context(rng: &mut ChaCha8Rng, vars: &Vars) -> String {
    pick(rng, REGIONAL_CONTEXTS, vars)
}

/// A brief's sub-headline from the gists of its first stories.
pub(crate) fn brief_headline(rng: &mut ChaCha8Rng, sector: &Sector, gists: &[String]) -> String {
    match gists {
        [a, b, ..] => match rng.gen_range(0..3) {
            0 => format!("{} while {b}", capitalise(a)),
            1 => format!("{} as {b}", capitalise(a)),
            _ => format!("{}, and {b}", capitalise(a)),
        },
        [a] => format!(
            "{} as {} weigh what comes next",
            capitalise(a),
            audience(sector)
        ),
        [] => format!("A quiet week for {}", audience(sector)),
    }
}

const SIGNAL_OPENERS_TWO: &[&str] = &[
    "Read together, the news from {a} and {b} shows {audience} moving from pilots to budgets.",
    "The common thread between {a} and {b} is that buyers now reward reliability over novelty.",
    "{a} and {b} are pulling in the same direction, even if neither would say so.",
    "What links {a} and {b} is timing: both are acting before the next budget cycle closes.",
];

const SIGNAL_OPENERS_ONE: &[&str] = &[
    "The week at {a} says more about {audience} than the headlines suggest.",
    "Look past the announcement from {a} and a pattern emerges for {audience}.",
];

fn sector_middles(sector: &Sector) -> &'static [&'static str] {
    match sector {
        Sector::Tech => &[
            "Platform vendors are being pushed to price on outcomes rather than tokens.",
            "The advantage is shifting from whoever trains the biggest model to whoever operates it most cheaply.",
        ],
        Sector::Healthcare => &[
            "Clinical buyers now ask for evidence and audit trails before they ask about features.",
            "The bottleneck in clinical AI is no longer accuracy but integration with records and workflows.",
        ],
        Sector::FinanceBanking => &[
            "Capital is concentrating in fewer, larger bets, and lenders are pricing that risk in.",
            "Model-risk teams, not innovation labs, are now the gatekeepers for new tools.",
        ],
        Sector::Manufacturing => &[
            "Factories are buying systems that run on the line, not dashboards that report on it.",
            "Hardware cycles, not software releases, now set the pace of adoption on the shop floor.",
        ],
        Sector::EducationEdTech => &[
            "Institutions are buying back-office automation faster than classroom tools.",
            "Evidence of learning gains is becoming the price of entry for new vendors.",
        ],
        _ => &[
            "Power availability is quietly deciding where compute gets built.",
            "Utilities are becoming negotiating partners for technology companies, not just suppliers.",
        ],
    }
}

const SIGNAL_CLOSERS: &[&str] = &[
    "The companies that win the next year will be those that turn proof-of-concept wins into contracts with service levels attached.",
    "Expect procurement cycles to shorten for vendors with audited results and lengthen for everyone else.",
    "The quieter story is consolidation: smaller vendors are running out of runway while the leaders lock in distribution.",
    "Anyone planning budgets for next year should assume these moves are the start of a pattern, not a blip.",
    "The winners will be the firms that treat compliance and reliability as product features rather than costs.",
];

/// A brief's hidden-signal paragraph, naming up to two of its organisations.
pub(crate) fn hidden_signal(rng: &mut ChaCha8Rng, sector: &Sector, orgs: &[&str]) -> String {
    let mut vars = Vars::default();
    vars.set("audience", audience(sector));
    let opener = match orgs {
        [a, b, ..] => {
            vars.set("a", *a);
            vars.set("b", *b);
            pick(rng, SIGNAL_OPENERS_TWO, &vars)
        }
        [a] => {
            vars.set("a", *a);
            pick(rng, SIGNAL_OPENERS_ONE, &vars)
        }
        [] => format!("This was a week of small moves for {}.", audience(sector)),
    };
    let middle = pick(rng, sector_middles(sector), &vars);
    let closer = pick(rng, SIGNAL_CLOSERS, &vars);
    format!("{opener} {middle} {closer}")
}

/// The regional watch's one-line summary.
pub(crate) fn watch_summary(rng: &mut ChaCha8Rng, region: &Region, gists: &[String]) -> String {
    const CLAUSES: &[&str] = &[
        "as {the_region} keeps attracting capital despite market volatility",
        "in a busy week for {the_region}",
        "as local players in {the_region} scale up",
        "while policy makers in {the_region} look on",
    ];
    let mut vars = Vars::default();
    vars.set("the_region", the_region(region));
    let clause = pick(rng, CLAUSES, &vars);
    match gists {
        [a, b, ..] => format!("{} and {b}, {clause}.", capitalise(a)),
        [a] => format!("{}, {clause}.", capitalise(a)),
        [] => format!("A quiet week, {clause}."),
    }
}

const REGIONAL_SIGNALS: &[&str] = &[
    "The pattern in {the_region} is consistent: local capital is backing applied products rather than frontier research, and {a} fits it.",
    "Moves like the one from {a} suggest {the_region} is building depth across the whole stack, not just at the application layer.",
    "{a} is a reminder that {the_region} sets its own pace, and global players that ignore local buyers will find the door harder to open.",
];

const REGIONAL_CLOSERS: &[&str] = &[
    "Expect more of this as domestic customers gain the confidence to buy from home-grown vendors.",
    "The next test is whether these companies can sell beyond their home market.",
    "Regulation will shape how fast this goes, but the direction is set.",
];

/// The regional watch's signal paragraph.
pub(crate) fn regional_signal(rng: &mut ChaCha8Rng, region: &Region, org: &str) -> String {
    let mut vars = Vars::default();
    vars.set("the_region", capitalise(&the_region(region)));
    vars.set("a", org);
    let first = capitalise(&pick(rng, REGIONAL_SIGNALS, &vars));
    let closer = pick(rng, REGIONAL_CLOSERS, &vars);
    format!("{first} {closer}")
}

/// The issue's headline from the lead story's headline and the week's theme.
pub(crate) fn headline(rng: &mut ChaCha8Rng, lead: &str, theme: (&str, &str)) -> String {
    match rng.gen_range(0..3) {
        0 => format!("{lead} Amid {}", theme.0),
        1 => format!("{lead} as {}", theme.0),
        _ => lead.to_string(),
    }
}

/// The masthead's summary paragraph from the gists of the lead stories.
pub(crate) fn masthead_summary(
    rng: &mut ChaCha8Rng,
    gists: &[String],
    theme: (&str, &str),
) -> String {
    const TAILS: &[&str] = &[
        "Together the moves point to {theme}.",
        "The common thread is {theme}.",
        "Underneath it all is {theme}.",
    ];
    let mut vars = Vars::default();
    vars.set("theme", theme.1);
    let tail = pick(rng, TAILS, &vars);
    match gists {
        [a, b, c, ..] => format!(
            "{} this week. {}, while {c}. {tail}",
            capitalise(a),
            capitalise(b)
        ),
        [a, b] => format!("{} this week, while {b}. {tail}", capitalise(a)),
        [a] => format!("{} this week. {tail}", capitalise(a)),
        [] => tail,
    }
}

/// The closing paragraph.
pub(crate) fn closing(rng: &mut ChaCha8Rng, gists: &[String], theme: (&str, &str)) -> String {
    const SECOND: &[&str] = &[
        "The money is following deployments that already work, and patience for open-ended experiments is thin.",
        "Buyers are asking harder questions about cost, liability and uptime before they sign.",
        "Regulators and courts are now part of every product roadmap, whether companies like it or not.",
        "The gap between the leaders and everyone else widened again.",
    ];
    const THIRD: &[&str] = &[
        "Next week will show whether the momentum holds.",
        "Watch for follow-through in the next round of earnings and filings.",
        "The story of the year is execution, not invention.",
    ];
    let listed = match gists {
        [a, b, c, ..] => format!("{a}, {b} and {c}"),
        [a, b] => format!("{a} and {b}"),
        [a] => a.clone(),
        [] => "a handful of smaller moves".to_string(),
    };
    let mut sentences = vec![format!("This week was about {}: {listed}.", theme.1)];
    let mut extra: Vec<&str> = SECOND.choose_multiple(rng, 1).copied().collect();
    extra.extend(THIRD.choose_multiple(rng, 1).copied());
    sentences.extend(extra.into_iter().map(str::to_string));
    sentences.join(" ")
}
