//! Insights, resources and learning paths: the how-to half of an issue.

use backissue_issue::{id, Insight, LearningPath, Level, PathStep, Resource, ResourceKind};
use rand::seq::SliceRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::story::Placed;
use super::Desk;
use crate::phrasing::{self, kind_text, learning, MAX_TITLE};

/// Resource kinds, each as likely as the others, with the occasional tutorial.
const KINDS: &[ResourceKind] = &[
    ResourceKind::Tool,
    ResourceKind::Article,
    ResourceKind::Paper,
    ResourceKind::Course,
    ResourceKind::Video,
    ResourceKind::Podcast,
    ResourceKind::Dataset,
    ResourceKind::Book,
    ResourceKind::Article,
    ResourceKind::Tutorial,
];

/// How long a learning-path step takes, in minutes.
const DURATIONS: &[u32] = &[15, 20, 30, 45, 60, 90, 120, 150, 180, 240];

fn level(rng: &mut ChaCha8Rng) -> Level {
    match rng.gen_range(0..100) {
        0..=24 => Level::Beginner,
        25..=59 => Level::Intermediate,
        60..=84 => Level::Advanced,
        _ => Level::All,
    }
}

/// 0–6 insights; their minute marks climb through one or two talks.
pub(super) fn insights(rng: &mut ChaCha8Rng) -> Vec<Insight> {
    let count = rng.gen_range(0..=6);
    let second_talk = rng.gen_range(2..=5);
    let mut minute = rng.gen_range(4..=20);
    (0..count)
        .map(|i| {
            if i == second_talk {
                minute = rng.gen_range(4..=20);
            } else if i > 0 {
                minute += rng.gen_range(3..=12);
            }
            let (title, body) = learning::insight(rng);
            Insight {
                title,
                body,
                minute,
            }
        })
        .collect()
}

/// A resource that copies a top story, when its kind of news has one.
fn resource_copy(desk: &mut Desk<'_>, story: &Placed) -> Option<Resource> {
    let pool = kind_text(story.event.kind).resources;
    let (kind, title, description) = pool.choose(&mut desk.rng)?;
    let title = phrasing::fill(title, &story.vars)?;
    let description = phrasing::fill(description, &story.vars)?;
    if title.chars().count() > MAX_TITLE {
        return None;
    }
    let date = desk.week.date;
    let url = format!(
        "https://{}.ai/news/{:04}/{:02}/{:02}/{}",
        desk.plan.cast.orgs[story.event.org].slug.replace('-', ""),
        date.year(),
        date.month(),
        date.day(),
        id::slug(&title)
    );
    Some(Resource {
        level: level(&mut desk.rng),
        kind: ResourceKind::from(*kind),
        title,
        description,
        url,
    })
}

/// 6–14 resources, a few of them copies of top stories; returns each resource's topic
/// (an index into the topic list) when it has one.
pub(super) fn resources(
    desk: &mut Desk<'_>,
    placed: &mut [Placed],
) -> (Vec<Resource>, Vec<Option<usize>>) {
    let count = desk.rng.gen_range(6..=14usize);
    let mut entries: Vec<(Resource, Option<usize>, Option<usize>)> = Vec::new();
    let most_copies = (count / 3).min(4);
    for (i, story) in placed.iter().enumerate() {
        if entries.len() >= most_copies || !desk.rng.gen_bool(0.3) {
            continue;
        }
        if let Some(resource) = resource_copy(desk, story) {
            desk.note(&story.event, &[&resource.title, &resource.description]);
            entries.push((resource, None, Some(i)));
        }
    }
    while entries.len() < count {
        let kind = KINDS[desk.rng.gen_range(0..KINDS.len())].clone();
        let topic = desk.rng.gen_range(0..learning::TOPICS.len());
        let (title, description, url) = learning::resource(&mut desk.rng, &kind, topic);
        let resource = Resource {
            level: level(&mut desk.rng),
            kind,
            title,
            description,
            url,
        };
        entries.push((resource, Some(topic), None));
    }
    entries.shuffle(&mut desk.rng);
    let mut resources = Vec::with_capacity(entries.len());
    let mut topics = Vec::with_capacity(entries.len());
    for (position, (resource, topic, copied)) in entries.into_iter().enumerate() {
        if let Some(i) = copied {
            placed[i]
                .doc_ids
                .push(id::resource(&desk.issue_id, position + 1));
        }
        resources.push(resource);
        topics.push(topic);
    }
    (resources, topics)
}

/// 0–3 learning paths of 2–5 steps, each step one of the issue's resources.
pub(super) fn learning_paths(
    rng: &mut ChaCha8Rng,
    resources: &[Resource],
    topics: &[Option<usize>],
) -> Vec<LearningPath> {
    let count = [0, 1, 1, 2, 2, 2, 3, 3][rng.gen_range(0..8)];
    let mut levels = Level::ALL.to_vec();
    levels.shuffle(rng);
    if rng.gen_bool(0.1) {
        // Now and then two paths share a level (`path/beginner-2`).
        levels.insert(1, levels[0]);
    }
    levels.truncate(count);
    levels
        .into_iter()
        .map(|level| {
            let steps = rng.gen_range(2..=5usize).min(resources.len());
            let mut chosen: Vec<usize> = (0..resources.len()).collect();
            chosen.shuffle(rng);
            chosen.truncate(steps);
            let topic = chosen
                .iter()
                .find_map(|&i| topics[i])
                .unwrap_or_else(|| rng.gen_range(0..learning::TOPICS.len()));
            let steps = chosen
                .iter()
                .enumerate()
                .map(|(n, &i)| PathStep {
                    n: n as u32 + 1,
                    text: learning::step_text(rng, &resources[i].kind, &resources[i].title),
                    minutes: DURATIONS[rng.gen_range(0..DURATIONS.len())],
                    url: resources[i].url.clone(),
                })
                .collect();
            LearningPath {
                level,
                title: learning::path_title(rng, level, topic),
                steps,
                outcome: learning::outcome(rng, level, topic),
            }
        })
        .collect()
}
