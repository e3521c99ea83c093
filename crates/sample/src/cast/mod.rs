//! The cast: the fictional organisations, products and people the archive reports on.
//!
//! Every name is built from its own root word, and no root contains another, so a
//! search for one name never finds a different entity: `Veridian Labs` and
//! `Kestrel-7B` share nothing. The seed picks which roots are used and who owns what.

use backissue_issue::{id, Region, Sector};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

mod names;

use names::{FIRST_NAMES, LAST_NAMES, ORG_ROOTS, PRODUCT_ROOTS, ROLES};

/// How many organisations the cast has; each brings one product and one person.
pub(crate) const ORGANISATIONS: usize = 96;

/// An index into [`Cast::orgs`].
pub(crate) type OrgId = usize;

/// An organisation, with the product and the person the news mentions alongside it.
#[derive(Debug, Clone)]
pub(crate) struct Org {
    /// `Veridian Labs`
    pub name: String,
    /// `veridian-labs`, for URLs and storyline ids.
    pub slug: String,
    /// The sector it works in.
    pub sector: Sector,
    /// Where it is based.
    pub region: Region,
    /// Its flagship product.
    pub product: Product,
    /// Its best-known person.
    pub person: Person,
}

/// A product: a name with a model size, version or series in it.
#[derive(Debug, Clone)]
pub(crate) struct Product {
    /// `Kestrel-7B`, `Orion 2.5`, `DunlinChip X3`
    pub name: String,
    /// What it is, in a few words: `open-weight model`.
    pub noun: &'static str,
}

/// A person and their role at the organisation.
#[derive(Debug, Clone)]
pub(crate) struct Person {
    /// `Maya Lindqvist`
    pub name: String,
    /// `chief executive`
    pub role: &'static str,
}

/// Everyone the archive can write about.
#[derive(Debug, Clone)]
pub(crate) struct Cast {
    /// The organisations; products and people hang off them.
    pub orgs: Vec<Org>,
}

/// The suffixes an organisation of each sector may carry.
fn org_suffixes(sector: &Sector) -> &'static [&'static str] {
    match sector {
        Sector::Tech => &["Labs", "AI", "Systems", "Compute", "Networks"],
        Sector::Healthcare => &["Health", "Bio", "Medical", "Therapeutics", "Diagnostics"],
        Sector::FinanceBanking => &["Capital", "Bank", "Pay", "Financial", "Markets"],
        Sector::Manufacturing => &["Robotics", "Industries", "Dynamics", "Automation", "Works"],
        Sector::EducationEdTech => &["Learning", "Academy", "Education", "Classrooms", "Tutors"],
        _ => &["Energy", "Power", "Grid", "Renewables", "Utilities"],
    }
}

/// A product name and what it is, shaped by the owner's sector.
fn product_for(root: &str, sector: &Sector, rng: &mut ChaCha8Rng) -> Product {
    let point = format!("{}.{}", rng.gen_range(1..=5), rng.gen_range(0..=9));
    let series = rng.gen_range(2..=9);
    let (name, noun) = match (sector, rng.gen_range(0..3)) {
        (Sector::Tech, 0) => {
            let size = [3, 7, 8, 12, 14, 22, 34, 70][rng.gen_range(0..8)];
            (format!("{root}-{size}B"), "open-weight model")
        }
        (Sector::Tech, 1) => (format!("{root}Chip X{series}"), "inference chip"),
        (Sector::Tech, _) => (format!("{root} {point}"), "agent platform"),
        (Sector::Healthcare, 0) => (format!("{root} {point}"), "clinical assistant"),
        (Sector::Healthcare, 1) => (format!("{root}Scan {series}"), "imaging model"),
        (Sector::Healthcare, _) => (format!("{root}-{series}M"), "triage model"),
        (Sector::FinanceBanking, 0) => (format!("{root} {point}"), "underwriting engine"),
        (Sector::FinanceBanking, 1) => (format!("{root} Ledger {series}"), "fraud platform"),
        (Sector::FinanceBanking, _) => (format!("{root} {point}"), "trading copilot"),
        (Sector::Manufacturing, 0) => (format!("{root} R{series}"), "robot arm"),
        (Sector::Manufacturing, 1) => (format!("{root}Chip X{series}"), "edge chip"),
        (Sector::Manufacturing, _) => (format!("{root} {point}"), "inspection system"),
        (Sector::EducationEdTech, 0) => (format!("{root} Tutor {series}"), "tutoring assistant"),
        (Sector::EducationEdTech, 1) => (format!("{root} {point}"), "grading model"),
        (Sector::EducationEdTech, _) => (format!("{root} Classroom {series}"), "course platform"),
        (_, 0) => (format!("{root} Grid {series}"), "grid controller"),
        (_, 1) => (format!("{root}Cell {series}"), "battery system"),
        (_, _) => (format!("{root} {point}"), "load forecaster"),
    };
    Product { name, noun }
}

/// Where organisations are based, with how often.
const HOME_REGIONS: &[(Region, u32)] = &[
    (Region::Us, 18),
    (Region::Uk, 6),
    (Region::Germany, 5),
    (Region::France, 5),
    (Region::Japan, 6),
    (Region::SouthKorea, 5),
    (Region::India, 8),
    (Region::China, 5),
    (Region::Taiwan, 3),
    (Region::Singapore, 4),
    (Region::SoutheastAsia, 2),
    (Region::Australia, 3),
    (Region::Canada, 4),
    (Region::Israel, 3),
    (Region::Uae, 3),
    (Region::SaudiArabia, 2),
    (Region::Africa, 3),
    (Region::Brazil, 3),
    (Region::LatinAmerica, 2),
];

fn home_region(rng: &mut ChaCha8Rng) -> Region {
    let total: u32 = HOME_REGIONS.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total);
    for (region, weight) in HOME_REGIONS {
        if pick < *weight {
            return region.clone();
        }
        pick -= weight;
    }
    Region::Us
}

/// The roots of `pool` that neither contain nor are contained in a root kept before them.
fn distinct_roots<'a>(pool: &[&'a str], kept: &mut Vec<String>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for root in pool {
        let lower = root.to_lowercase();
        if kept
            .iter()
            .all(|k| !k.contains(&lower) && !lower.contains(k.as_str()))
        {
            kept.push(lower);
            out.push(*root);
        }
    }
    out
}

impl Cast {
    /// A cast of [`ORGANISATIONS`] organisations chosen and arranged by `rng`.
    pub(crate) fn new(rng: &mut ChaCha8Rng) -> Cast {
        let mut kept = Vec::new();
        let mut org_roots = distinct_roots(ORG_ROOTS, &mut kept);
        let mut product_roots = distinct_roots(PRODUCT_ROOTS, &mut kept);
        let mut last_names = distinct_roots(LAST_NAMES, &mut kept);
        org_roots.shuffle(rng);
        product_roots.shuffle(rng);
        last_names.shuffle(rng);
        let orgs = (0..ORGANISATIONS)
            .map(|i| {
                let sector = Sector::KNOWN[i % Sector::KNOWN.len()].clone();
                let suffixes = org_suffixes(&sector);
                let name = format!(
                    "{} {}",
                    org_roots[i],
                    suffixes[rng.gen_range(0..suffixes.len())]
                );
                let product = product_for(product_roots[i], &sector, rng);
                let first = FIRST_NAMES[rng.gen_range(0..FIRST_NAMES.len())];
                let person = Person {
                    name: format!("{first} {}", last_names[i]),
                    role: ROLES[rng.gen_range(0..ROLES.len())],
                };
                Org {
                    slug: id::slug(&name),
                    name,
                    sector,
                    region: home_region(rng),
                    product,
                    person,
                }
            })
            .collect::<Vec<_>>();
        let mut cast = Cast { orgs };
        cast.orgs.shuffle(rng);
        cast
    }

    /// Every name in the cast: organisations, products, people.
    #[cfg(test)]
    pub(crate) fn names(&self) -> Vec<&str> {
        self.orgs
            .iter()
            .flat_map(|o| [&o.name[..], &o.product.name[..], &o.person.name[..]])
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn pools_are_large_enough_after_dropping_overlapping_roots() {
        let mut kept = Vec::new();
        assert!(distinct_roots(ORG_ROOTS, &mut kept).len() >= ORGANISATIONS);
        assert!(distinct_roots(PRODUCT_ROOTS, &mut kept).len() >= ORGANISATIONS);
        assert!(distinct_roots(LAST_NAMES, &mut kept).len() >= ORGANISATIONS);
    }

    #[test]
    fn no_name_contains_another() {
        for seed in 0..5 {
            let cast = Cast::new(&mut ChaCha8Rng::seed_from_u64(seed));
            let names: Vec<String> = cast.names().iter().map(|n| n.to_lowercase()).collect();
            for (i, a) in names.iter().enumerate() {
                for (j, b) in names.iter().enumerate() {
                    assert!(i == j || !b.contains(a.as_str()), "{a:?} is inside {b:?}");
                }
            }
        }
    }
}
