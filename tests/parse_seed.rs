//! `backissue parse` on the real seed issue gives exactly what the issue says.

mod common;

use common::{run, seed_path, stderr, stdout};
use serde_json::Value;

fn parse_seed_json() -> Option<Value> {
    let seed = seed_path()?;
    let output = run(&["parse", seed.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "parse failed: {}", stderr(&output));
    Some(serde_json::from_str(stdout(&output).trim()).expect("one JSON issue"))
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect()
}

#[test]
fn seed_date_is_inferred_from_its_urls() {
    let Some(issue) = parse_seed_json() else {
        return;
    };
    assert_eq!(issue["date"], "2026-03-27");
    assert_eq!(issue["date_source"], "inferred_from_urls");
    assert_eq!(issue["id"], "2026-03-27");
    assert_eq!(
        issue["headline"],
        "OpenAI Shutters Sora Amid Infrastructure Reality Check"
    );
    assert_eq!(issue["warnings"].as_array().unwrap().len(), 0);
}

#[test]
fn seed_top_stories_are_ranked_scored_and_tagged() {
    let Some(issue) = parse_seed_json() else {
        return;
    };
    let stories = issue["top_stories"].as_array().unwrap();
    assert_eq!(stories.len(), 20);
    let ranks: Vec<u64> = stories
        .iter()
        .map(|s| s["rank"].as_u64().unwrap())
        .collect();
    assert_eq!(ranks, (1..=20).collect::<Vec<u64>>());
    assert_eq!(stories[0]["score"], 95);
    assert_eq!(stories[19]["score"], 52);
    let scores: Vec<u64> = stories
        .iter()
        .map(|s| s["score"].as_u64().unwrap())
        .collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "scores go down: {scores:?}"
    );
    assert_eq!(strings(&stories[2]["sectors"]), ["Tech", "Manufacturing"]);
    assert_eq!(strings(&stories[2]["regions"]), ["US", "South Korea"]);
    assert_eq!(
        strings(&stories[9]["sectors"]),
        ["Tech", "Healthcare", "Finance & Banking"]
    );
    assert_eq!(strings(&stories[9]["regions"]), ["Global"]);
    assert_eq!(
        stories[1]["title"],
        "SoftBank's $40B Loan Signals OpenAI IPO"
    );
}

#[test]
fn seed_insights_and_sector_briefs() {
    let Some(issue) = parse_seed_json() else {
        return;
    };
    let minutes: Vec<u64> = issue["insights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["minute"].as_u64().unwrap())
        .collect();
    assert_eq!(minutes, [15, 24, 28, 19, 31, 43]);
    let briefs = issue["sector_briefs"].as_array().unwrap();
    let sectors: Vec<&str> = briefs
        .iter()
        .map(|b| b["sector"].as_str().unwrap())
        .collect();
    assert_eq!(
        sectors,
        [
            "Healthcare",
            "Finance & Banking",
            "Manufacturing",
            "Education & EdTech",
            "Tech",
            "Energy"
        ]
    );
    for brief in briefs {
        assert_eq!(
            brief["stats"].as_array().unwrap().len(),
            3,
            "{}",
            brief["sector"]
        );
        let stories = brief["stories"].as_array().unwrap();
        assert_eq!(stories.len(), 3, "{}", brief["sector"]);
        assert!(stories
            .iter()
            .all(|s| !s["source"].as_str().unwrap().is_empty()));
        assert!(brief["hidden_signal"].as_str().unwrap().len() > 100);
    }
    assert_eq!(briefs[1]["stats"][0]["value"], "$40B");
    assert_eq!(briefs[1]["stories"][0]["source"], "TechCrunch");
    assert_eq!(briefs[0]["stories"][2]["source"], "Inc42");
}

#[test]
fn seed_resources_paths_watch_closing_and_trends() {
    let Some(issue) = parse_seed_json() else {
        return;
    };
    let resources = issue["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 12);
    assert_eq!(resources[0]["level"], "Intermediate");
    assert_eq!(resources[0]["kind"], "Tool");
    assert_eq!(resources[7]["kind"], "Paper");
    assert_eq!(resources[3]["level"], "All");
    let paths = issue["learning_paths"].as_array().unwrap();
    let minutes = |p: &Value| -> Vec<u64> {
        p["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["minutes"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(paths.len(), 3);
    assert_eq!(paths[0]["level"], "Beginner");
    assert_eq!(minutes(&paths[0]), [30, 15, 20]);
    assert_eq!(paths[1]["level"], "Intermediate");
    assert_eq!(paths[1]["steps"].as_array().unwrap().len(), 4);
    assert_eq!(paths[2]["level"], "Advanced");
    assert_eq!(minutes(&paths[2]), [360, 180, 300, 480]);
    for path in paths {
        assert!(!path["outcome"].as_str().unwrap().is_empty());
        let ns: Vec<u64> = path["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["n"].as_u64().unwrap())
            .collect();
        assert_eq!(ns, (1..=ns.len() as u64).collect::<Vec<_>>());
    }
    let watch = &issue["regional_watch"];
    assert_eq!(watch["region"], "India");
    assert_eq!(watch["stories"].as_array().unwrap().len(), 3);
    assert!(watch["signal"]
        .as_str()
        .unwrap()
        .starts_with("The combination"));
    assert!(issue["closing"]
        .as_str()
        .unwrap()
        .starts_with("This week reveals AI transitioning"));
    let trends = issue["trend_indicators"].as_array().unwrap();
    assert_eq!(trends.len(), 3);
    assert_eq!(trends[2]["theme"], "Community Resistance to AI Buildout");
    assert_eq!(trends[2]["evidence"], "$26M land offer rejected");
}

#[test]
fn seed_summary_without_json_names_every_block() {
    let Some(seed) = seed_path() else { return };
    let output = run(&["parse", seed.to_str().unwrap()]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(text.contains("2026-03-27"), "{text}");
    assert!(text.contains("20 top stories"), "{text}");
    assert!(stderr(&output).contains("1 parsed, 0 failed, 0 warnings"));
}
