//! Facets: each row's sector, region, section, level, kind and source, held as small
//! integers so that filtering a candidate and counting a result set never touch
//! strings or the tantivy index.
//!
//! The table is built once per [`crate::search::Searcher`]. A facet's vocabulary is
//! the newsletter's known values followed by any other value found in the index
//! (`UK` tags, a new source), so a filter can name a value the index has not seen
//! yet (and match nothing) while a misspelt one is caught.

use std::collections::HashMap;

use backissue_issue::{id::slug, Date, Level, Region, ResourceKind, Sector, Source};
use serde::{Deserialize, Serialize};

use super::request::Filters;
use super::vocabulary::edit_distance;
use crate::document::{Document, Section};
use crate::error::{Error, Result};

/// The facets, in the order they appear in requests and responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Sector,
    Region,
    Section,
    Level,
    Kind,
    Source,
}

impl Facet {
    const ALL: [Facet; 6] = [
        Facet::Sector,
        Facet::Region,
        Facet::Section,
        Facet::Level,
        Facet::Kind,
        Facet::Source,
    ];

    /// The filter parameter (`sectors`).
    fn parameter(self) -> &'static str {
        match self {
            Facet::Sector => "sectors",
            Facet::Region => "regions",
            Facet::Section => "sections",
            Facet::Level => "levels",
            Facet::Kind => "kinds",
            Facet::Source => "sources",
        }
    }

    /// The value's name in messages (`sector`).
    fn noun(self) -> &'static str {
        match self {
            Facet::Sector => "sector",
            Facet::Region => "region",
            Facet::Section => "section",
            Facet::Level => "level",
            Facet::Kind => "resource kind",
            Facet::Source => "source",
        }
    }

    fn known(self) -> Vec<String> {
        fn labels<T: ToString>(values: impl IntoIterator<Item = T>) -> Vec<String> {
            values.into_iter().map(|v| v.to_string()).collect()
        }
        match self {
            Facet::Sector => labels(Sector::KNOWN),
            Facet::Region => labels(Region::KNOWN),
            Facet::Section => labels(Section::ALL),
            Facet::Level => labels(Level::ALL),
            Facet::Kind => labels(ResourceKind::KNOWN),
            Facet::Source => labels(Source::KNOWN),
        }
    }

    fn of(self, doc: &Document) -> Vec<String> {
        match self {
            Facet::Sector => doc.sectors.iter().map(ToString::to_string).collect(),
            Facet::Region => doc.regions.iter().map(ToString::to_string).collect(),
            Facet::Section => vec![doc.section.to_string()],
            Facet::Level => doc.level.iter().map(ToString::to_string).collect(),
            Facet::Kind => doc.kind.iter().map(ToString::to_string).collect(),
            Facet::Source => doc.source.iter().map(ToString::to_string).collect(),
        }
    }

    fn filter(self, filters: &Filters) -> &[String] {
        match self {
            Facet::Sector => &filters.sectors,
            Facet::Region => &filters.regions,
            Facet::Section => &filters.sections,
            Facet::Level => &filters.levels,
            Facet::Kind => &filters.kinds,
            Facet::Source => &filters.sources,
        }
    }
}

/// One facet's values and which rows have which.
#[derive(Debug)]
struct FacetTable {
    facet: Facet,
    /// Each value as the newsletter writes it.
    labels: Vec<String>,
    /// Slug to value index.
    by_slug: HashMap<String, u16>,
    /// Row `r`'s values are `row_values[starts[r]..starts[r + 1]]`.
    starts: Vec<u32>,
    row_values: Vec<u16>,
}

impl FacetTable {
    fn build(facet: Facet, docs: &[Document]) -> Self {
        let mut table = FacetTable {
            facet,
            labels: Vec::new(),
            by_slug: HashMap::new(),
            starts: Vec::with_capacity(docs.len() + 1),
            row_values: Vec::new(),
        };
        for label in facet.known() {
            table.intern(&label);
        }
        table.starts.push(0);
        for doc in docs {
            for label in facet.of(doc) {
                let value = table.intern(&label);
                table.row_values.push(value);
            }
            table.starts.push(table.row_values.len() as u32);
        }
        table
    }

    fn intern(&mut self, label: &str) -> u16 {
        let key = slug(label);
        if let Some(&value) = self.by_slug.get(&key) {
            return value;
        }
        // More than 65,535 distinct values of one facet would be a broken corpus;
        // they share the last index rather than overflow.
        let value = u16::try_from(self.labels.len()).unwrap_or(u16::MAX);
        self.labels.push(label.to_string());
        self.by_slug.insert(key, value);
        value
    }

    fn values(&self, row: usize) -> &[u16] {
        &self.row_values[self.starts[row] as usize..self.starts[row + 1] as usize]
    }

    /// The value a filter names, or an error listing the accepted values.
    fn resolve(&self, text: &str) -> Result<u16> {
        let key = slug(text);
        if let Some(&value) = self.by_slug.get(&key) {
            return Ok(value);
        }
        let closest = self
            .labels
            .iter()
            .map(|label| (edit_distance(&slug(label), &key, 3), label))
            .filter(|(d, _)| d.is_some())
            .min_by_key(|(d, _)| *d);
        let hint = match closest {
            Some((_, label)) => format!(" (did you mean {label:?}?)"),
            None => String::new(),
        };
        Err(Error::invalid(
            self.facet.parameter(),
            format!(
                "unknown {} {text:?}{hint}; expected one of: {}",
                self.facet.noun(),
                self.labels.join(", ")
            ),
        ))
    }
}

/// Every row's facets and date, for filtering and counting.
#[derive(Debug)]
pub(crate) struct FacetIndex {
    tables: Vec<FacetTable>,
    days: Vec<i64>,
}

impl FacetIndex {
    /// Reads the facets of every document (row order).
    pub(crate) fn build(docs: &[Document]) -> Self {
        FacetIndex {
            tables: Facet::ALL
                .iter()
                .map(|&f| FacetTable::build(f, docs))
                .collect(),
            days: docs.iter().map(|d| d.date.days_since_epoch()).collect(),
        }
    }

    /// Checks `filters` against the vocabularies.
    pub(crate) fn resolve(&self, filters: &Filters) -> Result<RowFilter> {
        let mut sets = Vec::new();
        for table in &self.tables {
            let wanted = table.facet.filter(filters);
            if wanted.is_empty() {
                continue;
            }
            let mut allowed = ValueSet::with_len(table.labels.len());
            for text in wanted {
                let value = table.resolve(text)?;
                allowed.insert(value);
                if table.facet == Facet::Level && value != level_all(table) {
                    // `All` material suits every reader.
                    allowed.insert(level_all(table));
                }
            }
            sets.push((table.facet as usize, allowed));
        }
        // `date_from` after `date_to` is an empty range: no row passes, and the
        // search says why in a note (`Searcher::search_on`).
        Ok(RowFilter {
            sets,
            from: filters.date_from.map(|d| d.days_since_epoch()),
            to: filters.date_to.map(|d| d.days_since_epoch()),
        })
    }

    /// Whether `row` passes `filter`.
    pub(crate) fn allows(&self, filter: &RowFilter, row: usize) -> bool {
        let day = self.days[row];
        if filter.from.is_some_and(|from| day < from) || filter.to.is_some_and(|to| day > to) {
            return false;
        }
        filter.sets.iter().all(|(facet, allowed)| {
            self.tables[*facet]
                .values(row)
                .iter()
                .any(|&v| allowed.contains(v))
        })
    }

    /// The values of the facets a query word can name (sector, region, level,
    /// kind), as (schema field name, value as written).
    pub(crate) fn nameable_values(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.tables.iter().flat_map(|table| {
            let field = match table.facet {
                Facet::Sector => Some("sector"),
                Facet::Region => Some("region"),
                Facet::Level => Some("level"),
                Facet::Kind => Some("kind"),
                Facet::Section | Facet::Source => None,
            };
            field.into_iter().flat_map(move |field| {
                table
                    .labels
                    .iter()
                    .map(move |label| (field, label.as_str()))
            })
        })
    }

    /// The first and last issue dates of the archive (`None` when it is empty).
    pub(crate) fn span(&self) -> Option<(Date, Date)> {
        let first = Date::from_days_since_epoch(*self.days.iter().min()?)?;
        let last = Date::from_days_since_epoch(*self.days.iter().max()?)?;
        Some((first, last))
    }

    /// The issue date of `row`, in days since 1970-01-01.
    pub(crate) fn day(&self, row: usize) -> i64 {
        self.days[row]
    }

    /// Counts the facet values of `rows` (the final result set).
    pub(crate) fn count(&self, rows: impl Iterator<Item = usize> + Clone) -> FacetCounts {
        let mut out: Vec<Vec<FacetCount>> = Vec::with_capacity(self.tables.len());
        for table in &self.tables {
            let mut counts = vec![0usize; table.labels.len()];
            for row in rows.clone() {
                for &v in table.values(row) {
                    counts[v as usize] += 1;
                }
            }
            let mut list: Vec<FacetCount> = counts
                .iter()
                .enumerate()
                .filter(|(_, &n)| n > 0)
                .map(|(v, &count)| FacetCount {
                    value: table.labels[v].clone(),
                    slug: slug(&table.labels[v]),
                    count,
                })
                .collect();
            list.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out.push(list);
        }
        let mut it = out.into_iter();
        let mut next = || it.next().unwrap_or_default();
        FacetCounts {
            sector: next(),
            region: next(),
            section: next(),
            level: next(),
            kind: next(),
            source: next(),
        }
    }
}

fn level_all(table: &FacetTable) -> u16 {
    table
        .by_slug
        .get(Level::All.slug())
        .copied()
        .unwrap_or(u16::MAX)
}

/// Filters checked against the vocabularies, ready to test rows.
#[derive(Debug, Clone, Default)]
pub(crate) struct RowFilter {
    sets: Vec<(usize, ValueSet)>,
    from: Option<i64>,
    to: Option<i64>,
}

impl RowFilter {
    /// Whether every row passes.
    pub(crate) fn is_empty(&self) -> bool {
        self.sets.is_empty() && self.from.is_none() && self.to.is_none()
    }
}

/// A set of value indices of one facet.
#[derive(Debug, Clone)]
struct ValueSet(Vec<u64>);

impl ValueSet {
    fn with_len(len: usize) -> Self {
        ValueSet(vec![0; len.div_ceil(64).max(1)])
    }

    fn insert(&mut self, value: u16) {
        if let Some(word) = self.0.get_mut(value as usize / 64) {
            *word |= 1 << (value % 64);
        }
    }

    fn contains(&self, value: u16) -> bool {
        self.0
            .get(value as usize / 64)
            .is_some_and(|word| word & (1 << (value % 64)) != 0)
    }
}

/// How many hits of the result set have one facet value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value as the newsletter writes it (`Finance & Banking`, `top_story`).
    pub value: String,
    /// Its slug (`finance-banking`), accepted back as a filter value.
    pub slug: String,
    /// Hits of the result set (after filters and collapsing) with the value.
    pub count: usize,
}

/// Facet counts over the whole result set (not only the page), most frequent first;
/// values no hit has are left out.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCounts {
    /// By sector.
    pub sector: Vec<FacetCount>,
    /// By region.
    pub region: Vec<FacetCount>,
    /// By section.
    pub section: Vec<FacetCount>,
    /// By level (resources and learning paths).
    pub level: Vec<FacetCount>,
    /// By resource kind.
    pub kind: Vec<FacetCount>,
    /// By source (sector and regional stories).
    pub source: Vec<FacetCount>,
}

#[cfg(test)]
mod tests {
    use backissue_issue::Date;

    use super::*;

    fn doc(id: &str, section: Section, sectors: &[&str], level: Option<Level>) -> Document {
        let date: Date = "2026-03-27".parse().unwrap();
        Document {
            id: id.to_string(),
            issue_id: "2026-03-27".to_string(),
            date,
            week: date.iso_week(),
            section,
            title: String::new(),
            body: String::new(),
            sectors: sectors.iter().map(|s| Sector::from(*s)).collect(),
            regions: vec![Region::from("UK")],
            level,
            kind: None,
            source: None,
            url: None,
            score: None,
            steps: Vec::new(),
            event_id: id.to_string(),
        }
    }

    fn docs() -> Vec<Document> {
        vec![
            doc("a", Section::TopStory, &["Energy", "Tech"], None),
            doc("b", Section::SectorStory, &["Finance & Banking"], None),
            doc("c", Section::Resource, &[], Some(Level::All)),
            doc("d", Section::Resource, &[], Some(Level::Advanced)),
        ]
    }

    #[test]
    fn filters_accept_labels_and_slugs_and_or_within_a_facet() {
        let index = FacetIndex::build(&docs());
        let filters = Filters {
            sectors: vec!["finance-banking".into(), "ENERGY".into()],
            ..Filters::default()
        };
        let filter = index.resolve(&filters).unwrap();
        let rows: Vec<usize> = (0..4).filter(|&r| index.allows(&filter, r)).collect();
        assert_eq!(rows, [0, 1]);
        let filters = Filters {
            sections: vec!["Top story".into()],
            sectors: vec!["Tech".into()],
            ..Filters::default()
        };
        let filter = index.resolve(&filters).unwrap();
        assert_eq!((0..4).filter(|&r| index.allows(&filter, r)).count(), 1);
    }

    #[test]
    fn a_level_also_matches_material_for_all_levels() {
        let index = FacetIndex::build(&docs());
        let beginner = index
            .resolve(&Filters {
                levels: vec!["beginner".into()],
                ..Filters::default()
            })
            .unwrap();
        assert_eq!(
            (0..4)
                .filter(|&r| index.allows(&beginner, r))
                .collect::<Vec<_>>(),
            [2]
        );
        let all = index
            .resolve(&Filters {
                levels: vec!["All".into()],
                ..Filters::default()
            })
            .unwrap();
        assert_eq!(
            (0..4)
                .filter(|&r| index.allows(&all, r))
                .collect::<Vec<_>>(),
            [2]
        );
    }

    #[test]
    fn a_misspelt_value_is_a_user_error_naming_the_parameter() {
        let index = FacetIndex::build(&docs());
        let err = index
            .resolve(&Filters {
                sectors: vec!["Helthcare".into()],
                ..Filters::default()
            })
            .unwrap_err();
        assert!(err.is_user_error());
        let message = err.to_string();
        assert!(
            message.starts_with("invalid `sectors`: unknown sector \"Helthcare\""),
            "{message}"
        );
        assert!(
            message.contains("did you mean \"Healthcare\"?"),
            "{message}"
        );
        assert!(message.contains("Finance & Banking"), "{message}");
        // Values found only in the index are accepted: UK is a region tag here.
        assert!(index
            .resolve(&Filters {
                regions: vec!["uk".into()],
                ..Filters::default()
            })
            .is_ok());
    }

    #[test]
    fn reversed_dates_allow_no_row() {
        let docs = docs();
        let index = FacetIndex::build(&docs);
        let filters = Filters {
            date_from: Some("2026-04-01".parse().unwrap()),
            date_to: Some("2026-03-01".parse().unwrap()),
            ..Filters::default()
        };
        let filter = index.resolve(&filters).unwrap();
        assert!((0..docs.len()).all(|row| !index.allows(&filter, row)));
    }

    #[test]
    fn counts_cover_the_given_rows_only() {
        let index = FacetIndex::build(&docs());
        let counts = index.count([0usize, 1].into_iter());
        let sectors: Vec<(&str, usize)> = counts
            .sector
            .iter()
            .map(|c| (c.value.as_str(), c.count))
            .collect();
        assert_eq!(
            sectors,
            [("Energy", 1), ("Finance & Banking", 1), ("Tech", 1)]
        );
        assert_eq!(counts.region[0].count, 2);
        assert!(counts.level.is_empty());
        assert_eq!(counts.section.len(), 2);
    }
}
