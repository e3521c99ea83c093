//! How product news is written: launches, benchmark results, outages and recalls.

use super::KindText;

pub(crate) static LAUNCH: KindText = KindText {
    top_titles: &[
        "{org} Launches {product}",
        "{org} Ships {product} {version}",
        "{product} Debuts With Bold Efficiency Claims",
        "{org} Unveils {product} for Enterprise Buyers",
        "{org} Bets Big on {product}",
    ],
    alt_titles: &[
        "{product} Arrives From {org}",
        "{org} Releases {product} to Customers",
        "What {product} Changes for {org}",
        "{product} {version} Now Generally Available",
        "{org} Takes {product} Out of Beta",
    ],
    watch_titles: &[
        "{org} Brings {product} to {region}",
        "{product} Goes Live in {region}",
        "Local Rollout for {product} From {org}",
    ],
    headlines: &["{org} Ships {product}", "{product} Arrives"],
    facts: &[
        "{org} launched {product}, a {noun} it says halves deployment time for enterprise teams.",
        "{org} released {product} {version}, the first general release of its {noun}.",
        "{org} made {product} available to customers this week after a six-month private preview.",
        "{product}, the new {noun} from {org}, went on sale with pricing well below rival offerings.",
    ],
    alt_facts: &[
        "With {product}, {org} is pitching a {noun} that runs on existing hardware instead of new clusters.",
        "The {version} release of {product} ships with audit logs, fine-grained permissions and an on-premises option, {org} said.",
        "{org} says early customers of {product} cut manual review work by {pct} during the preview.",
        "{org} is positioning {product} as a drop-in {noun} for teams that outgrew their first pilots.",
    ],
    contexts: &[
        "Pricing starts with a free tier, and a managed version follows later this quarter.",
        "Early reviewers praised its latency but flagged gaps in documentation.",
        "The launch puts it in direct competition with much larger incumbents.",
        "The company says more than {count} teams joined the waitlist.",
    ],
    gists: &["{org} launched {product}", "{org} shipped {product} {version}"],
    stat_value: "{version}",
    stat_labels: &[
        "{product} release from {org}",
        "First general release of {product} by {org}",
    ],
    evidence: &["{org} ships {product} {version}", "{product} launch from {org}"],
    resources: &[
        (
            "Tool",
            "{product} {version} Release Notes",
            "Changelog and quickstart for {product} from {org}, with migration notes for earlier builds.",
        ),
        (
            "Paper",
            "{org} Technical Report: {product}",
            "How {org} built and evaluated {product}, with ablations and known limitations.",
        ),
    ],
    quotes: &[
        "This is the product our customers kept sketching on whiteboards",
        "We wanted something a small team can run on a Monday morning",
    ],
};

pub(crate) static BENCHMARK: KindText = KindText {
    top_titles: &[
        "{product} Tops New Benchmark",
        "{org} Claims {pct} Gain With {product}",
        "{product} From {org} Sets Efficiency Record",
        "{product} Beats Larger Rivals",
    ],
    alt_titles: &[
        "{org} Publishes {product} Results",
        "How {product} Scored {pct} Better",
        "{org} Shows Its {product} Numbers",
    ],
    watch_titles: &[
        "{region} Lab Validates {product}",
        "{product} Leads {region} Tests",
    ],
    headlines: &["{product} Tops the Charts", "{org} Posts Record Results"],
    facts: &[
        "{org} reported that {product} improves accuracy by {pct} over its previous release on a widely used benchmark.",
        "{product} from {org} topped an independent evaluation, beating systems many times its size.",
        "{org} published results showing {product} {version} delivers {pct} better throughput per dollar.",
    ],
    alt_facts: &[
        "Independent testers reproduced most of the {pct} improvement {org} claimed for {product}, though gains were smaller on long inputs.",
        "{org} attributes the {product} gains to better training data rather than more compute.",
        "The {product} results, published with full evaluation code, put {org} ahead of several larger labs.",
    ],
    contexts: &[
        "Researchers cautioned that benchmarks rarely capture production conditions.",
        "The evaluation code is public.",
        "Competitors are expected to respond within weeks.",
        "Customers will get the improvements in the next update.",
    ],
    gists: &[
        "{org} posted a {pct} gain with {product}",
        "{product} from {org} topped a benchmark",
    ],
    stat_value: "{pct}",
    stat_labels: &[
        "{product} gain reported by {org}",
        "Improvement {org} measured over its last release",
    ],
    evidence: &["{product} beats larger rivals", "{pct} gain for {product}"],
    resources: &[
        (
            "Paper",
            "{product}: Evaluation Report",
            "Benchmark methodology and results for {product} from {org}, with ablations.",
        ),
        (
            "Dataset",
            "{org} Evaluation Suite for {product}",
            "The test sets {org} used to evaluate {product}, released for reproduction.",
        ),
    ],
    quotes: &[
        "We measured what customers actually do",
        "Smaller and better is the whole point",
    ],
};

pub(crate) static OUTAGE: KindText = KindText {
    top_titles: &[
        "{product} Outage Hits {org} Customers",
        "{org} Suffers {count}-Hour Outage",
        "{product} From {org} Goes Dark",
        "Outage Exposes Limits of {product}",
    ],
    alt_titles: &[
        "{org} Explains {product} Outage",
        "What Broke Inside {product}",
        "{org} Promises Fixes After Outage",
    ],
    watch_titles: &[
        "{product} Outage Disrupts {region} Users",
        "{region} Clients Hit by {org} Outage",
    ],
    headlines: &["{product} Goes Down", "{org} Outage Rattles Customers"],
    facts: &[
        "{product} from {org} was unavailable for {count} hours, disrupting thousands of customers who depend on it.",
        "A {count}-hour outage of {product} left {org} customers unable to run critical workloads.",
        "{org} said a faulty {version} configuration push took {product} offline for {count} hours.",
    ],
    alt_facts: &[
        "The {count}-hour {product} outage began with the {version} rollout, according to the incident report {org} published.",
        "{org} has promised service credits and a redesigned failover for {product} after the disruption.",
        "Customers of {org} described scrambling to reroute work while {product} was down for {count} hours.",
    ],
    contexts: &[
        "Service was restored by the end of the day.",
        "The company will publish a full post-mortem.",
        "Rivals were quick to pitch their reliability.",
        "Some customers are reconsidering single-vendor setups.",
    ],
    gists: &[
        "{product} from {org} went down for {count} hours",
        "{org} suffered a {count}-hour outage",
    ],
    stat_value: "{count}hrs",
    stat_labels: &[
        "Length of the {org} outage",
        "Hours {org} customers lost to the outage",
    ],
    evidence: &["{count}-hour {product} outage", "{org} outage hits customers"],
    resources: &[(
        "Article",
        "{org} Post-Mortem: {product} Outage",
        "Incident write-up from {org} with the timeline, root cause and fixes after the {product} outage.",
    )],
    quotes: &[
        "We let customers down and we will fix it",
        "The root cause is understood and contained",
    ],
};

pub(crate) static RECALL: KindText = KindText {
    top_titles: &[
        "{org} Pulls {product} After Safety Reports",
        "{org} Recalls {count} {product} Units",
        "{product} Recall Hits {org}",
        "{org} Halts {product} Shipments",
    ],
    alt_titles: &[
        "{org} Issues Recall for {product}",
        "Why {org} Pulled {product}",
        "{product} Pulled From {count} Sites",
    ],
    watch_titles: &[
        "{product} Recall Reaches {region}",
        "{org} Pulls {product} in {region}",
    ],
    headlines: &["{org} Recalls {product}", "{product} Pulled"],
    facts: &[
        "{org} recalled {count} units of {product} after customers reported errors in its outputs.",
        "{org} pulled {product} from sale while it investigates a fault that affected {count} deployments.",
        "{org} told customers to stop using {product} {version} after reports of failures in the field.",
    ],
    alt_facts: &[
        "The {product} recall covers {count} units shipped since the {version} update, which {org} says introduced the fault.",
        "{org} will replace or patch {count} {product} installations at no cost, starting with the largest customers.",
        "Engineers at {org} traced the problem in {product} to a calibration step skipped in the {version} build.",
    ],
    contexts: &[
        "No injuries were reported.",
        "The company expects the fix to ship within weeks.",
        "Regulators were notified the same day.",
        "Shares fell on the news before recovering.",
    ],
    gists: &["{org} recalled {product}", "{org} pulled {count} {product} units"],
    stat_value: "{count}",
    stat_labels: &[
        "{product} units recalled by {org}",
        "{org} deployments affected by the recall",
    ],
    evidence: &["{count} {product} units recalled", "{org} halts {product}"],
    resources: &[(
        "Article",
        "The {product} Recall: What {org} Operators Should Do",
        "Checklist for teams running {product} from {org} while the recall and patch roll out.",
    )],
    quotes: &[
        "Safety comes before the roadmap",
        "We would rather pause than guess",
    ],
};
