//! The renderer: a typed issue back to the text format.
//!
//! `parse(render(issue)) == issue` for every issue the parser can produce; the
//! property tests in `tests/` check it over generated issues.

use crate::model::Issue;

/// Writes `minutes` the way learning paths do: `30 min`, `1 hour`, `2 hours`, `1h 30m`.
pub fn render_duration(minutes: u32) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (1, 0) => "1 hour".to_string(),
        (h, 0) => format!("{h} hours"),
        (h, m) => format!("{h}h {m}m"),
    }
}

/// Renders `issue` in the text format, one line per field, `\n` line ends.
pub fn render(issue: &Issue) -> String {
    let mut out = String::with_capacity(16 * 1024);
    let mut line = |text: &str| {
        out.push_str(text);
        out.push('\n');
    };
    line("← All posts");
    line("");
    line(&issue.headline);
    line("");
    for paragraph in issue.summary.split("\n\n") {
        line(paragraph);
        line("");
    }
    line("Subscribe free All posts");
    for story in &issue.top_stories {
        line(&format!("#{}", story.rank));
        line(&story.title);
        line(&story.summary);
        let mut tags = String::new();
        for sector in &story.sectors {
            tags.push_str(sector.as_str());
        }
        for region in &story.regions {
            tags.push_str(region.as_str());
        }
        line(&tags);
        line(&story.score.to_string());
    }
    for insight in &issue.insights {
        line(&insight.title);
        line(&insight.body);
        line(&format!("~{}min", insight.minute));
    }
    for brief in &issue.sector_briefs {
        line(brief.sector.as_str());
        line(&brief.headline);
        for stat in &brief.stats {
            line(&stat.value);
            line(&stat.label);
        }
        for story in &brief.stories {
            line(&story.title);
            line(&story.body);
            line(&format!("Source: {}", story.source));
        }
        line("Hidden Signal");
        line(&brief.hidden_signal);
    }
    for resource in &issue.resources {
        line(&format!("{} {}", resource.level, resource.kind));
        line(&resource.title);
        line(&resource.description);
        line(&resource.url);
    }
    for path in &issue.learning_paths {
        line(&format!("{} {}", path.level, path.title));
        for step in &path.steps {
            line(&format!("{}. {}", step.n, step.text));
            line(&render_duration(step.minutes));
            line(&step.url);
        }
        line(&format!("After this: {}", path.outcome));
    }
    if let Some(watch) = &issue.regional_watch {
        line(&format!(
            "{} AI WATCH",
            watch.region.as_str().to_uppercase()
        ));
        line(&watch.summary);
        for story in &watch.stories {
            line(&story.title);
            line(&story.body);
            line(&format!("Source: {}", story.source));
        }
        line(&format!("{} Signal", watch.region));
        line(&watch.signal);
    }
    if let Some(closing) = &issue.closing {
        line(closing);
    }
    for indicator in &issue.trend_indicators {
        line(&indicator.evidence);
        line(&indicator.theme);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse_duration;

    #[test]
    fn durations_render_as_the_issue_writes_them() {
        assert_eq!(render_duration(30), "30 min");
        assert_eq!(render_duration(60), "1 hour");
        assert_eq!(render_duration(120), "2 hours");
        assert_eq!(render_duration(90), "1h 30m");
        for minutes in 0..1000 {
            assert_eq!(parse_duration(&render_duration(minutes)), Some(minutes));
        }
    }
}
