//! How news of courts, regulators and people is written: lawsuits, settlements,
//! probes, approvals, appointments and layoffs.

use super::KindText;

pub(crate) static LAWSUIT: KindText = KindText {
    top_titles: &[
        "{partner} Sues {org} Over {product}",
        "{org} Hit With {amount} Lawsuit",
        "{org} Faces Court Fight With {partner}",
        "Lawsuit Targets {product} From {org}",
    ],
    alt_titles: &[
        "{org} Dragged Into Court by {partner}",
        "What the {partner} Suit Means for {org}",
        "{org} Vows to Fight {partner} Claims",
        "Legal Cloud Gathers Over {product}",
    ],
    watch_titles: &[
        "{org} Sued in {region} Court",
        "{region} Court Takes Up {partner} v {org}",
    ],
    headlines: &["{partner} Sues {org}", "{org} Heads to Court"],
    facts: &[
        "{partner} filed suit against {org}, alleging that {product} was trained on its proprietary data without a licence.",
        "{org} was sued by {partner}, which is seeking {amount} in damages over the design of {product}.",
        "A lawsuit from {partner} accuses {org} of breaching a supply agreement tied to {product}.",
    ],
    alt_facts: &[
        "The complaint, filed by {partner}, asks the court for {amount} and an injunction against further sales of {product} by {org}.",
        "{org} called the suit from {partner} baseless and said it would defend {product} vigorously.",
        "Lawyers for {partner} argue that {org} copied core features of their platform into {product}.",
    ],
    contexts: &[
        "The case could take years to resolve.",
        "Legal experts say the outcome may set a precedent for the industry.",
        "Neither side commented beyond their filings.",
        "Customers were told service would continue as normal.",
    ],
    gists: &[
        "{partner} sued {org}",
        "{org} was hit with a lawsuit from {partner}",
    ],
    stat_value: "{amount}",
    stat_labels: &[
        "Damages {partner} seeks from {org}",
        "Claim against {org} over {product}",
    ],
    evidence: &["{partner} sues {org} for {amount}", "{org} faces {amount} claim"],
    resources: &[(
        "Article",
        "Reading the {partner} v {org} Complaint",
        "A plain-language walk through the claims against {org} and what they mean for {product} users.",
    )],
    quotes: &["We will defend our work in court", "The claims have no merit"],
};

pub(crate) static SETTLEMENT: KindText = KindText {
    top_titles: &[
        "{org} Settles With {partner} for {amount}",
        "{org} and {partner} End Legal Fight",
        "{org} Pays {amount} to Close Dispute",
        "Settlement Clears Path for {product}",
    ],
    alt_titles: &[
        "{org} Puts {partner} Dispute Behind It",
        "Inside the {org} Settlement",
        "{amount} Ends the {org} Case",
    ],
    watch_titles: &[
        "{org} Dispute Closes in {region}",
        "{org} and {partner} Settle",
    ],
    headlines: &["{org} Settles for {amount}", "{org} Closes Its Legal Fight"],
    facts: &[
        "{org} agreed to pay {amount} to settle its dispute with {partner}, ending months of litigation.",
        "{org} and {partner} reached a settlement worth {amount}, with no admission of wrongdoing.",
        "{partner} dropped its claims against {org} after a {amount} settlement was approved by the court.",
    ],
    alt_facts: &[
        "Under the {amount} settlement, {org} keeps selling {product} but will pay {partner} royalties on some features.",
        "The settlement lets {org} refocus on {product} after a case that had unsettled several customers.",
        "{org} said the {amount} payment was already reserved and would not change its plans for {product}.",
    ],
    contexts: &[
        "Terms include a licensing arrangement for future releases.",
        "Both sides said they were pleased to move on.",
        "The payment is smaller than analysts had feared.",
        "The court still has to sign off on parts of the deal.",
    ],
    gists: &[
        "{org} settled with {partner} for {amount}",
        "{org} ended its dispute with {partner}",
    ],
    stat_value: "{amount}",
    stat_labels: &[
        "{org} settlement with {partner}",
        "Paid by {org} to end the dispute",
    ],
    evidence: &["{org} settles for {amount}", "{org} and {partner} settle"],
    resources: &[(
        "Article",
        "What the {org} Settlement Means for {product} Users",
        "Practical notes for customers on licensing terms after the {org} settlement.",
    )],
    quotes: &["We are glad to put this behind us", "Our focus is back on customers"],
};

pub(crate) static PROBE: KindText = KindText {
    top_titles: &[
        "Regulators Open Probe Into {org}",
        "{org} Under Investigation Over {product}",
        "{org} Faces Regulatory Scrutiny",
        "Probe Targets Data Practices at {org}",
    ],
    alt_titles: &[
        "{org} Responds to Regulator Inquiry",
        "What the {org} Probe Could Mean",
        "{product} Under the Microscope",
    ],
    watch_titles: &[
        "{region} Watchdog Examines {org}",
        "{org} Probe Widens in {region}",
    ],
    headlines: &["Regulators Circle {org}", "{org} Under Investigation"],
    facts: &[
        "Regulators {in_region} opened an investigation into {org} over how {product} handles customer data.",
        "{org} disclosed that authorities {in_region} are examining the marketing claims behind {product}.",
        "An inquiry {in_region} will look at whether {org} gave regulators a full picture of the risks of {product}.",
    ],
    alt_facts: &[
        "Investigators asked {org} for {count} documents on the training data and testing of {product}.",
        "{org} said it was cooperating fully with the inquiry and that {product} remains available to customers.",
        "The probe into {org} is the first in the region to focus on a {noun}, and lawyers are watching closely.",
    ],
    contexts: &[
        "Fines could reach a share of global revenue.",
        "The company says it expects to be cleared.",
        "Several customers paused renewals pending the outcome.",
        "It is the watchdog's first case in the sector.",
    ],
    gists: &[
        "regulators opened a probe into {org}",
        "{org} came under investigation {in_region}",
    ],
    stat_value: "{count}",
    stat_labels: &[
        "Documents regulators requested from {org}",
        "Files {org} must hand to investigators",
    ],
    evidence: &["Regulators probe {org}", "{org} faces inquiry {in_region}"],
    resources: &[(
        "Article",
        "Understanding the {org} Investigation",
        "What regulators are asking {org} and how other {noun} vendors should prepare.",
    )],
    quotes: &["We welcome the chance to show our work", "We are cooperating fully"],
};

pub(crate) static APPROVAL: KindText = KindText {
    top_titles: &[
        "{product} Wins Regulatory Approval",
        "{org} Clears Regulators With {product}",
        "Green Light for {product} From {org}",
        "{org} Gets Approval in {region}",
    ],
    alt_titles: &[
        "{org} Secures Sign-Off for {product}",
        "What {product} Approval Unlocks",
        "{org} Clears Final Hurdle",
    ],
    watch_titles: &[
        "{region} Regulator Approves {product}",
        "{org} Wins {region} Sign-Off",
    ],
    headlines: &["{org} Wins Approval", "{product} Cleared"],
    facts: &[
        "Regulators {in_region} approved {product}, clearing {org} to sell its {noun} to regulated customers.",
        "{org} won approval for {product} {in_region} after a review that lasted more than a year.",
        "{product} from {org} received regulatory clearance {in_region}, the first {noun} of its kind to do so.",
    ],
    alt_facts: &[
        "The approval lets {org} sell {product} to hospitals, banks and schools {in_region} that had been waiting on the decision.",
        "{org} said approval of {product} came with reporting conditions it expects to meet with existing tooling.",
        "Clearance for {product} gives {org} a head start of several quarters on rivals still in review.",
    ],
    contexts: &[
        "The decision follows a public consultation.",
        "Conditions include ongoing audits.",
        "Rivals are expected to file similar applications.",
        "Sales teams start outreach immediately.",
    ],
    gists: &[
        "{org} won approval for {product}",
        "{product} from {org} cleared review {in_region}",
    ],
    stat_value: "1st",
    stat_labels: &[
        "Approval of its kind {in_region}, won by {org}",
        "Regulatory clearance for {org} and {product}",
    ],
    evidence: &["{product} approved {in_region}", "{org} wins regulatory sign-off"],
    resources: &[(
        "Article",
        "What the {org} Approval Means for Compliance Teams",
        "How the clearance of {product} from {org} changes procurement checklists.",
    )],
    quotes: &[
        "Approval is the start of the work, not the end",
        "We designed for auditors from the first day",
    ],
};

pub(crate) static APPOINTMENT: KindText = KindText {
    top_titles: &[
        "{org} Names {person} as {Role}",
        "{person} Takes the Helm at {org}",
        "{org} Taps {person} to Lead {product}",
        "Leadership Shake-Up at {org}",
    ],
    alt_titles: &[
        "{person} Joins {org} as {Role}",
        "Who Is {person}, the New {org} {Role}?",
        "{org} Bets on {person}",
    ],
    watch_titles: &[
        "{org} Hires {person} to Lead {region} Push",
        "{person} to Run {org} in {region}",
    ],
    headlines: &["{person} to Lead {org}", "{org} Names a New {Role}"],
    facts: &[
        "{org} appointed {person} as {role}, handing a {years}-year industry veteran the job of scaling {product}.",
        "{person} is joining {org} as {role}, the company said, after {years} years in senior engineering roles.",
        "{org} named {person} its new {role} as it prepares the next phase of {product}.",
    ],
    alt_facts: &[
        "{person}, who spent {years} years building {noun} products, will report to the board of {org} and own the {product} roadmap.",
        "In the new job, {person} inherits {product} and a mandate from the {org} board to cut time to revenue.",
        "{org} said {person} was chosen for experience taking products like {product} from pilots to thousands of customers.",
    ],
    contexts: &[
        "The previous leader will stay on as an adviser.",
        "Investors welcomed the move.",
        "The appointment takes effect next month.",
        "It is the company's second senior hire this quarter.",
    ],
    gists: &["{org} named {person} {role}", "{person} joined {org} as {role}"],
    stat_value: "{years}yrs",
    stat_labels: &[
        "Industry experience of the new {role} at {org}",
        "Years {person} spent in the field before {org}",
    ],
    evidence: &["{person} named {role} at {org}", "{org} leadership change"],
    resources: &[(
        "Podcast",
        "{person} on the Road Ahead for {org}",
        "Interview with the new {role} of {org} about priorities for {product}.",
    )],
    quotes: &[
        "The next chapter is about execution",
        "We have the product; now we need the reach",
    ],
};

pub(crate) static LAYOFFS: KindText = KindText {
    top_titles: &[
        "{org} Cuts {count} Jobs",
        "{org} Lays Off {pct} of Staff",
        "{org} Restructures Around {product}",
        "Job Cuts Hit {org}",
    ],
    alt_titles: &[
        "{org} Trims Headcount to Fund {product}",
        "Inside the {org} Restructuring",
        "{org} Shrinks to Refocus",
    ],
    watch_titles: &[
        "{org} Cuts Roles in {region}",
        "{region} Teams Hit by {org} Layoffs",
    ],
    headlines: &["{org} Cuts {count} Jobs", "{org} Restructures"],
    facts: &[
        "{org} is cutting {count} jobs, about {pct} of its workforce, to concentrate spending on {product}.",
        "{org} announced layoffs affecting {count} employees as it narrows its focus to {product}.",
        "{org} will reduce headcount by {pct}, closing two offices and pausing projects outside {product}.",
    ],
    alt_facts: &[
        "The {count} job cuts at {org} fall mostly on sales and support, while the {product} engineering group is spared.",
        "{org} says the restructuring saves enough to fund {product} through the next two years without new capital.",
        "Staff at {org} learned of the {pct} reduction in an all-hands meeting, according to people present.",
    ],
    contexts: &[
        "Severance includes extended health cover.",
        "The company says no further cuts are planned.",
        "Several senior managers are among those leaving.",
        "It follows a hiring spree two years ago.",
    ],
    gists: &["{org} cut {count} jobs", "{org} laid off {pct} of staff"],
    stat_value: "{count}",
    stat_labels: &["Jobs cut at {org}", "{org} roles eliminated this week"],
    evidence: &["{count} jobs cut at {org}", "{org} trims {pct} of staff"],
    resources: &[(
        "Article",
        "What the {org} Layoffs Say About the Market",
        "Reading the restructuring at {org} against hiring data across the sector.",
    )],
    quotes: &[
        "These are hard decisions, made for the long term",
        "We are focusing on what customers pay for",
    ],
};
