//! The answers the server shapes itself (a story with its copies, an issue by
//! section, the issue list), as serde types with OpenAPI schemas.
//!
//! Documents are shown through [`DocumentView`], not the engine's `Document`, so the
//! API's shape (a week written `2026-W13`, tags written as the newsletter writes
//! them) does not change when the engine's storage does.

use std::collections::BTreeMap;

use backissue_engine::document::{Document, Section};
use backissue_engine::related::Storyline;
use backissue_engine::Index;
use serde::Serialize;
use utoipa::ToSchema;

use crate::state::Loaded;

/// One document, whole.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentView {
    /// The stable id: `2026-03-27/top/2`.
    pub id: String,
    /// The issue's id.
    pub issue_id: String,
    /// The issue's date, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    pub date: String,
    /// The issue's ISO week, `2026-W13`.
    pub week: String,
    /// `top_story`, `sector_story`, `regional_story`, `insight`, `hidden_signal`,
    /// `resource` or `learning_path`.
    pub section: String,
    /// The brief or watch a story belongs to (`finance-banking`, `india-watch`), `top`
    /// for a top story; absent for other sections.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The title.
    pub title: String,
    /// The text.
    pub body: String,
    /// Sector tags, as the newsletter writes them (`Finance & Banking`).
    pub sectors: Vec<String>,
    /// Region tags (`South Korea`).
    pub regions: Vec<String>,
    /// The skill level of a resource or learning path.
    pub level: Option<String>,
    /// What a resource is (`Tool`, `Article`, …).
    pub kind: Option<String>,
    /// The publication a sector or regional story comes from.
    pub source: Option<String>,
    /// A resource's link.
    pub url: Option<String>,
    /// A top story's editor score, 0–100.
    pub score: Option<u8>,
    /// The event (piece of news) the document reports.
    pub event_id: String,
}

impl From<&Document> for DocumentView {
    fn from(doc: &Document) -> Self {
        DocumentView {
            id: doc.id.clone(),
            issue_id: doc.issue_id.clone(),
            date: doc.date.to_string(),
            week: doc.week.to_string(),
            section: doc.section.as_str().to_string(),
            group: doc.story_group().map(str::to_string),
            title: doc.title.clone(),
            body: doc.body.clone(),
            sectors: doc.sectors.iter().map(ToString::to_string).collect(),
            regions: doc.regions.iter().map(ToString::to_string).collect(),
            level: doc.level.map(|l| l.to_string()),
            kind: doc.kind.as_ref().map(ToString::to_string),
            source: doc.source.as_ref().map(ToString::to_string),
            url: doc.url.clone(),
            score: doc.score,
            event_id: doc.event_id.clone(),
        }
    }
}

/// A document named, not shown whole.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentRef {
    /// Its id.
    pub id: String,
    /// Its section.
    pub section: String,
    /// Its title.
    pub title: String,
}

impl From<&Document> for DocumentRef {
    fn from(doc: &Document) -> Self {
        DocumentRef {
            id: doc.id.clone(),
            section: doc.section.as_str().to_string(),
            title: doc.title.clone(),
        }
    }
}

/// An issue named, with its headline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueRef {
    /// The issue's id.
    pub id: String,
    /// Its date, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    pub date: String,
    /// The masthead's headline.
    pub headline: Option<String>,
}

/// `GET /api/stories/{id}`: a document with its issue, copies and storyline.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StoryDetail {
    /// The document.
    pub document: DocumentView,
    /// The issue it appeared in.
    pub issue: IssueRef,
    /// The other documents of the same issue that report the same news (same
    /// `event_id`), in issue order.
    pub copies: Vec<DocumentRef>,
    /// The storyline (one organisation's news across weeks) its event is a step of.
    pub storyline: Option<Storyline>,
}

impl StoryDetail {
    /// The detail of `doc` in `loaded`.
    pub fn of(loaded: &Loaded, doc: &Document) -> StoryDetail {
        let index = loaded.index();
        StoryDetail {
            document: doc.into(),
            issue: issue_ref(loaded, &doc.issue_id),
            copies: index
                .issue_documents(&doc.issue_id)
                .filter(|d| d.event_id == doc.event_id && d.id != doc.id)
                .map(DocumentRef::from)
                .collect(),
            storyline: loaded.related().storyline_of(doc).cloned(),
        }
    }
}

fn issue_ref(loaded: &Loaded, issue_id: &str) -> IssueRef {
    let date = loaded
        .index()
        .issue_documents(issue_id)
        .next()
        .map(|d| d.date.to_string())
        .unwrap_or_default();
    IssueRef {
        id: issue_id.to_string(),
        date,
        headline: loaded.issue(issue_id).map(|i| i.headline.clone()),
    }
}

/// One issue in the list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueSummary {
    /// The issue's id.
    pub id: String,
    /// Its date, `YYYY-MM-DD`.
    #[schema(value_type = String, format = Date)]
    pub date: String,
    /// The masthead's headline, as indexed.
    pub headline: Option<String>,
    /// Documents indexed from it.
    pub documents: usize,
    /// Distinct pieces of news (events) among its stories.
    pub events: usize,
    /// Documents per section.
    pub by_section: BTreeMap<String, usize>,
}

/// `GET /api/issues`: every issue, newest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueList {
    /// The generation served.
    pub generation: String,
    /// The issues, newest first.
    pub issues: Vec<IssueSummary>,
}

impl IssueSummary {
    /// The summary of issue `id` in `loaded`.
    pub fn of(loaded: &Loaded, id: &str) -> IssueSummary {
        let docs: Vec<&Document> = loaded.index().issue_documents(id).collect();
        let mut sections: BTreeMap<String, usize> = BTreeMap::new();
        for doc in &docs {
            *sections
                .entry(doc.section.as_str().to_string())
                .or_default() += 1;
        }
        let events: std::collections::BTreeSet<&str> = docs
            .iter()
            .filter(|d| d.section.is_story())
            .map(|d| d.event_id.as_str())
            .collect();
        IssueSummary {
            id: id.to_string(),
            date: docs.first().map(|d| d.date.to_string()).unwrap_or_default(),
            headline: loaded.issue(id).map(|i| i.headline.clone()),
            documents: docs.len(),
            events: events.len(),
            by_section: sections,
        }
    }
}

/// One section of an issue, with its documents in issue order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueSection {
    /// The section.
    pub section: String,
    /// Its documents, in issue order.
    pub documents: Vec<DocumentView>,
}

/// `GET /api/issues/{id}`: an issue's documents by section, and the parsed issue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IssueDetail {
    /// Id, date, headline and counts.
    #[serde(flatten)]
    pub summary: IssueSummary,
    /// The sections in issue order (top stories, sector stories, regional stories,
    /// insights, hidden signals, resources, learning paths), each with its documents.
    pub sections: Vec<IssueSection>,
    /// The issue as parsed when it was indexed (the fields of `backissue parse
    /// --json`), carried inside the generation.
    #[schema(value_type = Option<Object>)]
    pub parsed: Option<backissue_issue::Issue>,
}

impl IssueDetail {
    /// The detail of issue `id`, `None` when no document has that issue.
    pub fn of(loaded: &Loaded, id: &str) -> Option<IssueDetail> {
        let index: &Index = loaded.index();
        index.issue_documents(id).next()?;
        let sections = Section::ALL
            .into_iter()
            .filter_map(|section| {
                let documents: Vec<DocumentView> = index
                    .issue_documents(id)
                    .filter(|d| d.section == section)
                    .map(DocumentView::from)
                    .collect();
                (!documents.is_empty()).then(|| IssueSection {
                    section: section.as_str().to_string(),
                    documents,
                })
            })
            .collect();
        Some(IssueDetail {
            summary: IssueSummary::of(loaded, id),
            sections,
            parsed: loaded.issue(id).cloned(),
        })
    }
}
