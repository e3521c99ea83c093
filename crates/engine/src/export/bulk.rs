//! The `_bulk` body: for each document, an `index` action naming it by its stable
//! id, then its fields and its vector, one JSON object per line.

use std::io::{self, Write};

use backissue_issue::{Date, Level, PathStep, Region, ResourceKind, Sector, Source};
use serde::Serialize;

use crate::keyword::week_number;
use crate::{Document, Index, Section};

/// Writes the `_bulk` body of every document of `index` into the index `name`:
/// two lines per document, in row order, each ending with a line break (the
/// API requires one after the last line too).
pub fn write_bulk(index: &Index, name: &str, out: &mut dyn Write) -> io::Result<()> {
    for (doc, vector) in index.documents().iter().zip(index.vectors().rows()) {
        let action = Action {
            index: Target {
                index: name,
                id: &doc.id,
            },
        };
        serde_json::to_writer(&mut *out, &action)?;
        out.write_all(b"\n")?;
        serde_json::to_writer(&mut *out, &Fields::of(doc, vector))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// `{"index":{"_index":NAME,"_id":ID}}`: add the document, or replace it.
#[derive(Serialize)]
struct Action<'a> {
    index: Target<'a>,
}

#[derive(Serialize)]
struct Target<'a> {
    #[serde(rename = "_index")]
    index: &'a str,
    #[serde(rename = "_id")]
    id: &'a str,
}

/// A document as the template maps it. Sectors and regions are always arrays;
/// fields a document does not have are left out rather than null.
#[derive(Serialize)]
struct Fields<'a> {
    id: &'a str,
    issue_id: &'a str,
    event_id: &'a str,
    section: Section,
    date: Date,
    /// `year * 100 + week`, as backissue's keyword index sorts and filters weeks.
    week: u64,
    title: &'a str,
    body: &'a str,
    sectors: &'a [Sector],
    regions: &'a [Region],
    #[serde(skip_serializing_if = "Option::is_none")]
    level: Option<Level>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a ResourceKind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a Source>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<u8>,
    #[serde(skip_serializing_if = "no_steps")]
    steps: &'a [PathStep],
    /// Written as the shortest decimal that reads back as the same f32.
    embedding: &'a [f32],
}

fn no_steps(steps: &&[PathStep]) -> bool {
    steps.is_empty()
}

impl<'a> Fields<'a> {
    fn of(doc: &'a Document, vector: &'a [f32]) -> Self {
        Fields {
            id: &doc.id,
            issue_id: &doc.issue_id,
            event_id: &doc.event_id,
            section: doc.section,
            date: doc.date,
            week: week_number(doc.week),
            title: &doc.title,
            body: &doc.body,
            sectors: &doc.sectors,
            regions: &doc.regions,
            level: doc.level,
            kind: doc.kind.as_ref(),
            source: doc.source.as_ref(),
            url: doc.url.as_deref(),
            score: doc.score,
            steps: &doc.steps,
            embedding: vector,
        }
    }
}
