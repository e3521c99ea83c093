//! The learning half of an issue: insights from talks, resources and learning paths.
//!
//! These texts are about techniques, not about the week's organisations, so they give
//! search a body of how-to material that no planted event or trend term touches.

use backissue_issue::{id, Level, ResourceKind};
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{pick, Vars};

/// Techniques insights talk about: (title case, sentence case).
const TECHNIQUES: &[(&str, &str)] = &[
    ("Speculative Decoding", "speculative decoding"),
    ("Model Cascades", "model cascades"),
    ("Retrieval Caching", "retrieval caching"),
    ("Quantization-Aware Training", "quantization-aware training"),
    ("Mixture-of-Experts Routing", "mixture-of-experts routing"),
    ("KV-Cache Offloading", "KV-cache offloading"),
    ("Synthetic Data Distillation", "synthetic data distillation"),
    ("Preference Tuning", "preference tuning"),
    ("Structured Output Decoding", "structured output decoding"),
    ("Federated Fine-Tuning", "federated fine-tuning"),
    ("Continual Pretraining", "continual pretraining"),
    ("Sparse Attention", "sparse attention"),
    ("Tool-Use Planning", "tool-use planning"),
    ("Long-Context Retrieval", "long-context retrieval"),
    ("Evaluation Harnesses", "evaluation harnesses"),
    ("Prompt Caching", "prompt caching"),
    ("Low-Rank Adapters", "low-rank adapters"),
    (
        "Vision-Language-Action Models",
        "vision-language-action models",
    ),
    ("Diffusion Language Models", "diffusion language models"),
    ("Graph Retrieval", "graph retrieval"),
    ("Active Learning Loops", "active learning loops"),
    ("Self-Consistency Sampling", "self-consistency sampling"),
    ("Red-Team Automation", "red-team automation"),
    ("Model Merging", "model merging"),
];

/// Workloads insights apply techniques to.
const WORKLOADS: &[&str] = &[
    "Support Tickets",
    "Claims Processing",
    "Code Review",
    "Radiology Reports",
    "Contract Review",
    "Shop-Floor Inspection",
    "Lesson Planning",
    "Load Forecasting",
    "Fraud Screening",
    "Call Summaries",
];

const INSIGHT_TITLES: &[&str] = &[
    "{Technique} Beats Bigger Models on {Workload}",
    "Why {Technique} Needs Different Monitoring",
    "{Technique} Moves From Research to Production",
    "The Hidden Cost of {Technique}",
    "{Technique} Changes How Teams Budget Compute",
    "What {Technique} Breaks in Existing Pipelines",
    "{Technique} for {Workload} Without New Hardware",
];

const INSIGHT_OPENERS: &[&str] = &[
    "Teams applying {technique} to {workload} report that the gains come less from the method itself than from the discipline it forces on data preparation.",
    "The speaker argued that {technique} is now mature enough for {workload}, provided teams measure latency and quality together rather than one at a time.",
    "Unlike the approaches it replaces, {technique} shifts effort from training time to serving time, which changes who owns the cost.",
    "Early adopters of {technique} found that the hard part was not the algorithm but keeping evaluation sets honest as the system changed.",
];

const INSIGHT_MIDDLES: &[&str] = &[
    "That matters because most production failures now come from drift in inputs, not from the model weights.",
    "The result is a system that degrades gracefully instead of failing outright when traffic spikes.",
    "It also makes small models competitive on tasks that used to need a frontier system.",
    "Operators end up with fewer knobs to tune, which shortens the path from prototype to a service level agreement.",
];

const INSIGHT_CAVEATS: &[&str] = &[
    "The caveat is that published benchmarks rarely reflect messy enterprise data, so in-house evaluation is not optional.",
    "None of this removes the need for human review on high-stakes outputs.",
    "The open question is how well the approach holds up once workloads are ten times larger.",
    "Tooling is still immature, and most teams are writing their own glue code.",
];

/// An insight's title and paragraph.
pub(crate) fn insight(rng: &mut ChaCha8Rng) -> (String, String) {
    let (title_case, sentence_case) = TECHNIQUES[rng.gen_range(0..TECHNIQUES.len())];
    let workload = WORKLOADS[rng.gen_range(0..WORKLOADS.len())];
    let mut vars = Vars::default();
    vars.set("Technique", title_case);
    vars.set("technique", sentence_case);
    vars.set("Workload", workload);
    vars.set("workload", workload.to_lowercase());
    let title = pick(rng, INSIGHT_TITLES, &vars);
    let body = [
        pick(rng, INSIGHT_OPENERS, &vars),
        pick(rng, INSIGHT_MIDDLES, &vars),
        pick(rng, INSIGHT_CAVEATS, &vars),
    ]
    .join(" ");
    (title, body)
}

/// Topics of resources and learning paths: (title case, sentence case).
pub(crate) const TOPICS: &[(&str, &str)] = &[
    ("Retrieval Evaluation", "retrieval evaluation"),
    (
        "Small Models on Edge Hardware",
        "small models on edge hardware",
    ),
    ("Agent Reliability", "agent reliability"),
    ("Model Risk Management", "model risk management"),
    ("Clinical Documentation AI", "clinical documentation AI"),
    ("Predictive Maintenance", "predictive maintenance"),
    ("Adaptive Tutoring Systems", "adaptive tutoring systems"),
    ("Load Forecasting With ML", "load forecasting with ML"),
    ("Fine-Tuning Open Models", "fine-tuning open models"),
    ("Inference Cost Control", "inference cost control"),
    ("Vector Search at Scale", "vector search at scale"),
    ("Synthetic Data Pipelines", "synthetic data pipelines"),
    (
        "Robot Learning From Demonstration",
        "robot learning from demonstration",
    ),
    ("Document Understanding", "document understanding"),
    ("AI Governance Programs", "AI governance programs"),
    ("Speech Interfaces", "speech interfaces"),
    (
        "Time-Series Anomaly Detection",
        "time-series anomaly detection",
    ),
    (
        "Computer Vision Quality Control",
        "computer vision quality control",
    ),
    ("Prompt Engineering Patterns", "prompt engineering patterns"),
    ("Distributed Training", "distributed training"),
    ("Responsible Deployment", "responsible deployment"),
    ("Multilingual Models", "multilingual models"),
];

/// Title and description templates, and the site, for a kind of resource.
fn resource_templates(
    kind: &ResourceKind,
) -> (
    &'static [&'static str],
    &'static [&'static str],
    &'static str,
) {
    match kind {
        ResourceKind::Tool => (
            &["Open-Source Toolkit for {Topic}", "{Topic} Playground", "A Command-Line Kit for {Topic}"],
            &["A free toolkit for {topic}, with sensible defaults and examples you can run locally."],
            "https://tools.opensourcekit.dev",
        ),
        ResourceKind::Paper => (
            &["Scaling Laws for {Topic}", "A Survey of {Topic}", "Revisiting {Topic} at Scale"],
            &["Research paper on {topic} with experiments across several model sizes and datasets."],
            "https://preprints.mlarchive.org/abs",
        ),
        ResourceKind::Course => (
            &["{Topic} From First Principles", "Hands-On {Topic}", "{Topic} in Six Lessons"],
            &["A structured course on {topic} with exercises, quizzes and a capstone project."],
            "https://learn.aicademy.io/courses",
        ),
        ResourceKind::Video => (
            &["Live Walkthrough of {Topic} in Production", "{Topic} in Twenty Minutes"],
            &["Recorded session walking through {topic} on a real system, from setup to results."],
            "https://video.buildersconf.tv/talks",
        ),
        ResourceKind::Podcast => (
            &["The Week in {Topic}", "Builders Talk {Topic}"],
            &["Conversation with practitioners about what works in {topic} and what is still hype."],
            "https://podcasts.inferencehour.fm/episodes",
        ),
        ResourceKind::Dataset => (
            &["Open Benchmark for {Topic}", "{Topic} Evaluation Set"],
            &["A labelled dataset for {topic}, with train and test splits and a baseline."],
            "https://datasets.openbenchhub.org",
        ),
        ResourceKind::Book => (
            &["The {Topic} Handbook", "Designing Systems for {Topic}"],
            &["Book-length treatment of {topic}, from core ideas to production case studies."],
            "https://press.modelworks.pub/books",
        ),
        ResourceKind::Tutorial => (
            &["Step-by-Step Guide to {Topic}"],
            &["A guided tutorial on {topic} that takes about an hour, with code to copy."],
            "https://fieldnotes-ml.dev/tutorials",
        ),
        _ => (
            &["A Field Guide to {Topic}", "What We Learned Shipping {Topic}", "{Topic}, Explained for Busy Teams"],
            &["Practical article on {topic} with worked examples and pitfalls to avoid."],
            "https://fieldnotes-ml.dev/articles",
        ),
    }
}

/// A resource of `kind` on topic `topic` (an index into [`TOPICS`]): title, description, URL.
pub(crate) fn resource(
    rng: &mut ChaCha8Rng,
    kind: &ResourceKind,
    topic: usize,
) -> (String, String, String) {
    let (titles, descriptions, site) = resource_templates(kind);
    let (title_case, sentence_case) = TOPICS[topic];
    let mut vars = Vars::default();
    vars.set("Topic", title_case);
    vars.set("topic", sentence_case);
    let title = pick(rng, titles, &vars);
    let description = pick(rng, descriptions, &vars);
    let url = format!("{site}/{}-{}", id::slug(&title), rng.gen_range(100..1000));
    (title, description, url)
}

/// A learning path's title for `level` on topic `topic`.
pub(crate) fn path_title(rng: &mut ChaCha8Rng, level: Level, topic: usize) -> String {
    let pool: &[&str] = match level {
        Level::Beginner => &["Getting Started With {Topic}", "{Topic} for Newcomers"],
        Level::Intermediate => &[
            "Shipping {Topic} to Production",
            "Building Reliable {Topic}",
        ],
        Level::Advanced => &[
            "Pushing {Topic} to Its Limits",
            "Scaling {Topic} at the Frontier",
        ],
        Level::All => &[
            "A Guided Tour of {Topic}",
            "Understanding {Topic} This Week",
        ],
    };
    let mut vars = Vars::default();
    vars.set("Topic", TOPICS[topic].0);
    pick(rng, pool, &vars)
}

/// A learning-path step that uses a resource of `kind` titled `title`.
pub(crate) fn step_text(rng: &mut ChaCha8Rng, kind: &ResourceKind, title: &str) -> String {
    let pool: &[&str] = match kind {
        ResourceKind::Paper => &["Study {title} and note how it sets up its evaluation"],
        ResourceKind::Course => &["Complete the first modules of {title}"],
        ResourceKind::Video => &["Watch {title} and pause at each design decision"],
        ResourceKind::Podcast => &["Listen to {title} for the practitioner view"],
        ResourceKind::Tool => &["Install {title} and run its quickstart on your own data"],
        ResourceKind::Dataset => &["Download {title} and reproduce the baseline"],
        ResourceKind::Book => &["Read the opening chapters of {title}"],
        _ => &[
            "Read {title} to get the core ideas",
            "Work through {title} and list what applies to your team",
        ],
    };
    let mut vars = Vars::default();
    vars.set("title", title);
    pick(rng, pool, &vars)
}

/// What a reader of `level` can do after a path on topic `topic`.
pub(crate) fn outcome(rng: &mut ChaCha8Rng, level: Level, topic: usize) -> String {
    let pool: &[&str] = match level {
        Level::Beginner => &[
            "Explain the basics of {topic} and judge vendor claims with the right questions.",
            "Understand where {topic} fits in a real product and what it costs to run.",
        ],
        Level::Intermediate => &[
            "Ship a first production system for {topic} with evaluation and monitoring in place.",
            "Design, test and operate {topic} for a team of real users.",
        ],
        Level::Advanced => &[
            "Push {topic} past the defaults, with your own benchmarks and failure analysis.",
            "Lead architecture decisions on {topic} for large, regulated deployments.",
        ],
        Level::All => &[
            "Follow the debate on {topic} and know which developments matter for your work.",
            "Speak confidently about {topic} with both engineers and executives.",
        ],
    };
    let mut vars = Vars::default();
    vars.set("topic", TOPICS[topic].1);
    pick(rng, pool, &vars)
}
