//! How money news is written: raises, acquisitions, listings, contracts, partnerships
//! and expansions.

use super::KindText;

pub(crate) static RAISE: KindText = KindText {
    top_titles: &[
        "{org} Raises {amount} to Scale {product}",
        "{org} Lands {amount} Funding Round",
        "Investors Back {org} With {amount}",
        "{org} Closes {amount} Round Led by {partner}",
        "{amount} Round Puts {org} Among Category Leaders",
        "{org} Pulls In {amount} Despite Choppy Markets",
    ],
    alt_titles: &[
        "{org} Secures {amount} for {product} Push",
        "Why {org's} {amount} Raise Matters",
        "{org} Adds {amount} to Its War Chest",
        "Fresh {amount} Gives {org} Runway",
        "{org} Funding Targets Enterprise Demand",
    ],
    watch_titles: &[
        "{org} Draws {amount} From Investors",
        "{region} Deal Flow: {org} Raises {amount}",
        "{org} Round Lifts Local Funding Tally",
    ],
    headlines: &["{org} Raises {amount}", "{amount} Bet on {org}"],
    facts: &[
        "{org} raised {amount} in a round led by {partner}, its largest financing to date.",
        "{org} closed a {amount} funding round to scale {product}, its {noun}.",
        "{org} has raised {amount} from a group of institutional investors to expand sales of {product}.",
        "Investors committed {amount} to {org}, betting that demand for its {noun} keeps compounding.",
    ],
    alt_facts: &[
        "The {amount} round, led by {partner}, gives {org} capital to take {product} beyond its pilot customers.",
        "{org} confirmed a {amount} raise this week, with the money earmarked for hiring and compute for {product}.",
        "Fresh off a {amount} raise, {org} says it will double the team behind {product} within a year.",
        "The new {amount} gives {org} room to price {product} aggressively against incumbents.",
    ],
    contexts: &[
        "The company plans to spend most of the money on compute and go-to-market hires.",
        "Existing backers returned, and the valuation reportedly more than doubled since the last round.",
        "It is one of the larger rounds in the category this quarter.",
        "Management said the raise extends its runway well into the next funding cycle.",
        "Part of the round is set aside for buying smaller tooling startups.",
    ],
    gists: &["{org} raised {amount}", "{org} closed a {amount} round"],
    stat_value: "{amount}",
    stat_labels: &[
        "{org} funding round this week",
        "Raised by {org} to scale {product}",
    ],
    evidence: &["{amount} round for {org}", "{org} raises {amount} for {product}"],
    resources: &[(
        "Article",
        "Inside {org's} {amount} Round",
        "What the new funding for {org} means for the {noun} market and the rivals chasing it.",
    )],
    quotes: &[
        "We raised to build, not to wait",
        "Customers asked us to move faster, and this lets us",
    ],
};

pub(crate) static ACQUISITION: KindText = KindText {
    top_titles: &[
        "{org} Buys {partner} for {amount}",
        "{org} to Acquire {partner}",
        "{org} Snaps Up {partner} in {amount} Deal",
        "{amount} Deal Hands {partner} to {org}",
    ],
    alt_titles: &[
        "{org} Absorbs {partner} to Bolster {product}",
        "Why {org} Paid {amount} for {partner}",
        "{partner} Joins {org} in {amount} Takeover",
        "{org's} {partner} Purchase Reshapes the Field",
    ],
    watch_titles: &[
        "{org} Acquires {partner} in {region}",
        "{partner} Sold to {org}",
        "{region} Consolidation: {org} Buys {partner}",
    ],
    headlines: &["{org} Buys {partner}", "{org} Swallows {partner}"],
    facts: &[
        "{org} agreed to acquire {partner} for {amount}, folding its team into the group behind {product}.",
        "{org} is buying {partner} in a deal valued at {amount}, pending regulatory review.",
        "{org} announced a {amount} acquisition of {partner}, its biggest deal so far.",
    ],
    alt_facts: &[
        "The {amount} purchase brings the engineers and customer contracts of {partner} under {org}, which plans to merge them into {product}.",
        "{org} said {partner} will keep its brand for now, but its technology will ship inside {product} by next year.",
        "Paying {amount} for {partner} gives {org} a foothold in a segment it had been trying to crack on its own.",
    ],
    contexts: &[
        "The deal is expected to close next quarter.",
        "Competition regulators are likely to take a look.",
        "Shareholders of the target get a mix of cash and stock.",
        "It is the third acquisition in the category this year.",
    ],
    gists: &[
        "{org} agreed to buy {partner} for {amount}",
        "{org} acquired {partner}",
    ],
    stat_value: "{amount}",
    stat_labels: &[
        "Price {org} agreed to pay for {partner}",
        "Value of the {org} deal for {partner}",
    ],
    evidence: &["{amount} {org} buys {partner}", "{org} acquires {partner}"],
    resources: &[(
        "Article",
        "The Logic Behind {org} Buying {partner}",
        "Deal analysis of the acquisition by {org} and what it signals for consolidation in the sector.",
    )],
    quotes: &[
        "We bought the team we kept losing deals to",
        "Together we can ship the full stack",
    ],
};

pub(crate) static IPO: KindText = KindText {
    top_titles: &[
        "{org} Files for {amount} IPO",
        "{org} Targets {amount} Listing",
        "{org} Readies Blockbuster IPO",
        "{org} Plans Public Debut at {amount}",
    ],
    alt_titles: &[
        "{org} IPO Tests Investor Appetite",
        "What the {amount} Listing of {org} Signals",
        "{org} Heads to Public Markets",
    ],
    watch_titles: &[
        "{org} Listing Could Top {region} Charts",
        "{org} Picks {region} for IPO",
    ],
    headlines: &["{org} Files for IPO", "{org} Eyes {amount} Listing"],
    facts: &[
        "{org} filed for an initial public offering that could raise {amount}, according to its prospectus.",
        "{org} is preparing a listing targeting {amount} to fund capacity for {product}.",
        "{org} confirmed plans for an IPO seeking {amount}, one of the largest in the sector this year.",
    ],
    alt_facts: &[
        "The {amount} offering would give {org} a war chest to expand {product} capacity and pay down debt.",
        "The prospectus of {org} shows revenue from {product} growing {pct} year on year, a figure bankers are leaning on for the {amount} target.",
        "Bankers for {org} are sounding out investors on a {amount} range, with a listing {in_region} expected within months.",
    ],
    contexts: &[
        "The timing depends on market conditions.",
        "Early investors are expected to sell only a small part of their stakes.",
        "The filing also revealed heavy spending on compute.",
        "It would be the sector's biggest listing in two years.",
    ],
    gists: &["{org} filed for a {amount} IPO", "{org} readied a {amount} listing"],
    stat_value: "{amount}",
    stat_labels: &["{org} IPO target", "Sought by {org} in its listing"],
    evidence: &["{amount} {org} IPO target", "{org} files to list"],
    resources: &[(
        "Article",
        "Reading the {org} IPO Prospectus",
        "The numbers that matter in the filing from {org}, from {product} revenue to compute costs.",
    )],
    quotes: &[
        "Public markets reward discipline, and we are ready",
        "This gives us the capital to build for a decade",
    ],
};

pub(crate) static CONTRACT: KindText = KindText {
    top_titles: &[
        "{org} Wins {amount} Contract From {partner}",
        "{partner} Hands {org} {amount} Deal",
        "{org} Lands Major {partner} Contract",
        "{org} Signs {amount} Supply Deal",
    ],
    alt_titles: &[
        "{org} Secures {partner} as Anchor Customer",
        "What the {partner} Win Means for {org}",
        "{partner} Commits {amount} to {product}",
    ],
    watch_titles: &[
        "{partner} Picks {org} in {amount} Deal",
        "{org} Wins Big {region} Contract",
    ],
    headlines: &["{org} Lands {amount} Contract", "{org} Wins {partner}"],
    facts: &[
        "{org} won a {amount} contract from {partner} to supply {product} over the next three years.",
        "{partner} awarded {org} a {amount} deal covering {product} licences and support.",
        "{org} signed a {amount} agreement with {partner}, its largest customer contract to date.",
    ],
    alt_facts: &[
        "The {amount} contract makes {partner} the anchor customer for {product}, and {org} holds an option to extend it for two more years.",
        "{partner} chose {product} from {org} after a bake-off against three larger vendors.",
        "Deliveries of {product} to {partner} begin next quarter, and {org} is hiring to support the rollout.",
    ],
    contexts: &[
        "The contract includes performance clauses.",
        "It validates the company's enterprise push.",
        "Analysts expect more deals of this size.",
        "Shares rose on the announcement.",
    ],
    gists: &[
        "{org} won a {amount} contract from {partner}",
        "{partner} signed a deal with {org}",
    ],
    stat_value: "{amount}",
    stat_labels: &[
        "{partner} contract for {org}",
        "Value of the {org} deal with {partner}",
    ],
    evidence: &["{amount} {partner} contract for {org}", "{org} wins {partner} deal"],
    resources: &[(
        "Article",
        "How {org} Won the {partner} Contract",
        "Lessons from the winning bid by {org} for buyers and vendors in the {noun} market.",
    )],
    quotes: &[
        "Customers this size do not buy on demos",
        "This deal proves the model works at scale",
    ],
};

pub(crate) static PARTNERSHIP: KindText = KindText {
    top_titles: &[
        "{org} and {partner} Join Forces",
        "{org} Partners With {partner} on {product}",
        "{org} Signs Multi-Year Pact With {partner}",
        "{partner} Taps {org} for Enterprise Rollout",
    ],
    alt_titles: &[
        "{partner} Bets on {product} From {org}",
        "Inside the {org} and {partner} Deal",
        "{org} Wins {partner} as Launch Partner",
        "{partner} to Deploy {product} at Scale",
    ],
    watch_titles: &[
        "{org} and {partner} Expand in {region}",
        "{partner} Brings {org} Into {region}",
    ],
    headlines: &["{org} Teams Up With {partner}", "{org} and {partner} Align"],
    facts: &[
        "{org} and {partner} signed a multi-year partnership to deploy {product} across the operations of {partner}.",
        "{partner} picked {org} as its main supplier for {noun} work, starting with {count} seats.",
        "{org} struck a partnership with {partner} that bundles {product} into an enterprise offering.",
    ],
    alt_facts: &[
        "Under the deal, {partner} will roll out {product} to {count} users over the next year, with {org} engineers embedded on site.",
        "The agreement gives {org} a distribution channel it lacked and gives {partner} a {noun} without building one.",
        "{org} will co-develop features of {product} with {partner}, which gets early access to each release.",
    ],
    contexts: &[
        "Financial terms were not disclosed.",
        "Both companies said the pilot phase beat its targets.",
        "Analysts called it a template for how incumbents will buy rather than build.",
        "The deal is non-exclusive, leaving room for rival vendors.",
    ],
    gists: &[
        "{org} partnered with {partner}",
        "{org} signed a pact with {partner}",
    ],
    stat_value: "{count}",
    stat_labels: &[
        "Seats in the {org} rollout at {partner}",
        "{partner} users getting {product} from {org}",
    ],
    evidence: &["{org} and {partner} sign multi-year pact", "{partner} adopts {product}"],
    resources: &[(
        "Article",
        "What the {org} and {partner} Deal Means for Buyers",
        "A buyer's reading of the partnership between {org} and {partner}, and what to ask vendors next.",
    )],
    quotes: &[
        "Partnering got us to customers years sooner",
        "We would rather ship together than compete on slides",
    ],
};

pub(crate) static EXPANSION: KindText = KindText {
    top_titles: &[
        "{org} Expands Into {region}",
        "{org} Commits {amount} to New Capacity",
        "{org} Plans {count}-Acre Campus",
        "{org} Opens New Hub in {region}",
    ],
    alt_titles: &[
        "{org} Builds Out Capacity for {product}",
        "Why {org} Is Spending {amount} on Sites",
        "{org} Grows Its Footprint",
    ],
    watch_titles: &[
        "{org} Picks {region} for Expansion",
        "{amount} {org} Investment Lands in {region}",
    ],
    headlines: &["{org} Expands", "{org} Goes Big {in_region}"],
    facts: &[
        "{org} will invest {amount} in a new campus {in_region} covering {count} acres to meet demand for {product}.",
        "{org} is expanding {in_region}, committing {amount} to data centers and local hiring.",
        "{org} announced a {amount} expansion {in_region} that adds capacity for {product} customers.",
    ],
    alt_facts: &[
        "The {count}-acre site {in_region} is the largest in the plans of {org} so far, and local officials still have to approve the power hookup.",
        "{org} says the {amount} build-out will let it serve {product} customers {in_region} from local infrastructure.",
        "Construction on the new {org} site starts this year, with the first capacity for {product} online within eighteen months.",
    ],
    contexts: &[
        "Local officials welcomed the jobs but raised questions about power and water.",
        "The first phase opens next year.",
        "Financing comes partly from a new credit facility.",
        "Residents have asked for public hearings.",
    ],
    gists: &[
        "{org} committed {amount} to expand {in_region}",
        "{org} expanded {in_region}",
    ],
    stat_value: "{count}",
    stat_labels: &[
        "Acres in the planned {org} campus",
        "Acres {org} is developing {in_region}",
    ],
    evidence: &["{amount} {org} expansion", "{org} builds {in_region}"],
    resources: &[(
        "Article",
        "The Infrastructure Behind the {org} Expansion",
        "Where {org} is building, how much power it needs and what that means for {product} customers.",
    )],
    quotes: &[
        "Demand is outrunning every forecast we made",
        "We build where our customers are",
    ],
};
