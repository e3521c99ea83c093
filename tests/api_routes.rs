//! Every route of the JSON API answers, in-process, with the shape its OpenAPI
//! schema describes.

use std::collections::BTreeSet;

use backissue_server::routes::api_routes;
use serde_json::Value;

mod api_support;
use api_support::{default_app, get, ok_json, ISSUES, STORY};

/// The property names of schema `name` (following `$ref` and `allOf`), and the
/// required ones.
fn properties(doc: &Value, schema: &Value) -> (BTreeSet<String>, BTreeSet<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.rsplit('/').next().unwrap();
        return properties(doc, &doc["components"]["schemas"][name]);
    }
    let mut all = BTreeSet::new();
    let mut required = BTreeSet::new();
    for part in schema["allOf"].as_array().into_iter().flatten() {
        let (a, r) = properties(doc, part);
        all.extend(a);
        required.extend(r);
    }
    if let Some(props) = schema["properties"].as_object() {
        all.extend(props.keys().cloned());
    }
    for key in schema["required"].as_array().into_iter().flatten() {
        required.insert(key.as_str().unwrap().to_string());
    }
    (all, required)
}

/// Asserts `value`'s fields are those of schema `name`: none unknown to the schema,
/// none of its required ones missing.
fn assert_shape(doc: &Value, name: &str, value: &Value) {
    let schema = &doc["components"]["schemas"][name];
    assert!(
        schema.is_object(),
        "no schema {name} in the OpenAPI document"
    );
    let (all, required) = properties(doc, schema);
    let keys: BTreeSet<String> = value
        .as_object()
        .unwrap_or_else(|| panic!("{name}: {value}"))
        .keys()
        .cloned()
        .collect();
    let unknown: Vec<_> = keys.difference(&all).collect();
    assert!(
        unknown.is_empty(),
        "{name}: fields not in the schema: {unknown:?}"
    );
    let missing: Vec<_> = required.difference(&keys).collect();
    assert!(
        missing.is_empty(),
        "{name}: required fields missing: {missing:?}"
    );
}

async fn openapi() -> Value {
    ok_json(&default_app(), "/api/openapi.json").await
}

#[tokio::test]
async fn the_admin_route_is_documented_only_when_it_exists() {
    let doc = openapi().await;
    assert!(doc["paths"].get("/api/admin/reindex").is_none());
    let mut with_token = api_support::config();
    with_token.admin_token = Some("t".into());
    let app = backissue_server::app(api_support::state_with(with_token));
    let doc = ok_json(&app, "/api/openapi.json").await;
    assert!(doc["paths"].get("/api/admin/reindex").is_some());
}

#[tokio::test]
async fn the_document_declares_the_sets_and_ranges_the_server_checks() {
    let doc = openapi().await;
    let search = &doc["paths"]["/api/search"]["get"]["parameters"];
    let parameter = |name: &str| {
        search
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .clone()
    };
    assert_eq!(
        parameter("sort")["schema"]["enum"],
        serde_json::json!(["relevance", "newest", "oldest"])
    );
    assert_eq!(parameter("limit")["schema"]["maximum"], 100);
    assert_eq!(parameter("sector")["schema"]["maxItems"], 20);
    assert!(
        parameter("sector")["schema"]["items"]["enum"]
            .as_array()
            .unwrap()
            .len()
            >= 6
    );
    let weeks = &doc["paths"]["/api/trends/weeks"]["get"]["responses"];
    assert!(weeks.get("400").is_some(), "{weeks}");
    let series = &doc["paths"]["/api/trends/series"]["get"]["responses"]["200"]["content"];
    assert!(series.get("text/csv").is_some(), "{series}");

    let parameter = |path: &str, name: &str| {
        doc["paths"][path]["get"]["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .unwrap_or_else(|| panic!("{path} has no {name}"))["schema"]
            .clone()
    };
    assert_eq!(
        parameter("/api/resources", "sort")["enum"],
        serde_json::json!(["relevance", "newest", "most-featured", "title", ""])
    );
    assert_eq!(
        parameter("/api/paths", "sort")["enum"],
        serde_json::json!([
            "relevance",
            "newest",
            "most-featured",
            "title",
            "shortest",
            ""
        ])
    );
    for path in ["/api/resources", "/api/paths"] {
        assert_eq!(parameter(path, "offset")["maximum"], 10_000);
        assert_eq!(parameter(path, "offset")["minimum"], 0);
        assert_eq!(parameter(path, "limit")["maximum"], 200);
    }
    let paths_ok = &doc["paths"]["/api/paths"]["get"]["responses"]["200"]["content"];
    assert!(paths_ok.get("text/csv").is_some(), "{paths_ok}");
}

#[tokio::test]
async fn every_route_of_the_router_is_in_the_openapi_document() {
    let doc = openapi().await;
    let paths = doc["paths"].as_object().unwrap();
    let mut routes: Vec<String> = api_routes()
        .into_iter()
        .map(|(path, _)| path.replace("{*", "{"))
        .collect();
    routes.extend(
        [
            "/healthz",
            "/readyz",
            "/metrics",
            "/api/stories/{id}/related",
        ]
        .map(String::from),
    );
    for route in &routes {
        assert!(paths.contains_key(route), "{route} is not documented");
    }
    for (path, item) in paths {
        assert!(routes.contains(path), "{path} is documented but not routed");
        for (method, operation) in item.as_object().unwrap() {
            let responses = operation["responses"].as_object().unwrap();
            assert!(!responses.is_empty(), "{method} {path} has no responses");
            assert!(
                operation["summary"].is_string() || operation["description"].is_string(),
                "{method} {path}"
            );
        }
    }
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    // Every parameter of search is documented.
    let search: Vec<&str> = doc["paths"]["/api/search"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for name in [
        "q",
        "mode",
        "semantic_ratio",
        "sector",
        "region",
        "section",
        "level",
        "kind",
        "source",
        "from",
        "to",
        "sort",
        "offset",
        "limit",
        "collapse",
    ] {
        assert!(
            search.contains(&name),
            "search parameter {name} is not documented"
        );
    }
}

#[tokio::test]
async fn every_documented_parameter_is_accepted_and_no_other() {
    let app = default_app();
    let doc = openapi().await;
    let mut checked = 0;
    for (path, methods) in doc["paths"].as_object().unwrap() {
        let Some(parameters) = methods["get"]["parameters"].as_array() else {
            continue;
        };
        if path.contains('{') || path.starts_with("/api/admin") {
            continue;
        }
        for parameter in parameters.iter().filter(|p| p["in"] == "query") {
            let name = parameter["name"].as_str().unwrap();
            // Any value: a bad one is a 400 about the value, never about the name.
            let answer = get(&app, &format!("{path}?{name}=x")).await;
            let text = answer.text();
            assert!(
                !text.contains("unknown parameter"),
                "{path}: documented {name} is refused as unknown ({}: {text})",
                answer.status
            );
            checked += 1;
        }
        let message = get(&app, &format!("{path}?undocumented_x=1"))
            .await
            .error(400, "bad_parameter");
        assert!(message.contains("unknown parameter"), "{path}: {message}");
    }
    assert!(checked >= 30, "only {checked} parameters checked");
}

#[tokio::test]
async fn search_answers_hits_facets_and_notes() {
    let app = default_app();
    let doc = openapi().await;
    let body = ok_json(&app, "/api/search?q=chip&mode=keyword&limit=3").await;
    assert_shape(&doc, "SearchAnswer", &body);
    assert!(body["total"].as_u64().unwrap() >= 1);
    let hit = &body["hits"][0];
    assert_shape(&doc, "SearchHit", hit);
    let marked = format!("{}{}", hit["title_html"], hit["snippet"]);
    assert!(marked.contains("<mark>"), "{hit}");

    let hybrid = ok_json(
        &app,
        "/api/search?q=edge+chips+for+robots&mode=hybrid&semantic_ratio=0.7&sector=Tech,Manufacturing&from=2025-01-01&to=2025-12-31&sort=newest&offset=0&limit=5&collapse=false",
    )
    .await;
    assert_eq!(hybrid["mode"]["type"], "hybrid");
    assert!((hybrid["mode"]["semantic_ratio"].as_f64().unwrap() - 0.7).abs() < 1e-6);
    assert!(hybrid["hits"].as_array().unwrap().len() <= 5);

    let semantic = ok_json(
        &app,
        "/api/search?q=robots+that+work+without+the+cloud&mode=semantic&limit=2",
    )
    .await;
    assert_eq!(semantic["mode"]["type"], "semantic");

    // Repeated and comma-separated lists are the same filter.
    let a = ok_json(
        &app,
        "/api/search?q=&section=resource&section=learning_path&limit=0",
    )
    .await;
    let b = ok_json(
        &app,
        "/api/search?q=&section=resource,learning_path&limit=0",
    )
    .await;
    assert_eq!(a["total"], b["total"]);
    assert!(a["hits"].as_array().unwrap().is_empty());
    assert!(a["facets"]["level"].is_array());

    let beginner = ok_json(
        &app,
        "/api/search?section=resource&level=beginner&kind=Tutorial&limit=100",
    )
    .await;
    for hit in beginner["hits"].as_array().unwrap() {
        assert_eq!(hit["section"], "resource");
    }
}

#[tokio::test]
async fn a_story_comes_with_its_issue_copies_and_storyline_plain_or_percent_encoded() {
    let app = default_app();
    let doc = openapi().await;
    let plain = ok_json(&app, &format!("/api/stories/{STORY}")).await;
    let encoded = ok_json(&app, &format!("/api/stories/{}", STORY.replace('/', "%2F"))).await;
    assert_eq!(plain, encoded);
    assert_shape(&doc, "StoryDetail", &plain);
    assert_shape(&doc, "DocumentView", &plain["document"]);
    assert_eq!(plain["document"]["id"], STORY);
    assert_eq!(plain["issue"]["id"], "2025-01-03");
    assert!(
        plain["issue"]["headline"].is_string(),
        "the corpus file gives the headline"
    );
    let copies = plain["copies"].as_array().unwrap();
    assert!(!copies.is_empty(), "{plain}");
    for copy in copies {
        assert_ne!(copy["id"], STORY);
        assert!(copy["id"].as_str().unwrap().starts_with("2025-01-03/"));
    }
    assert!(plain.get("storyline").is_some());

    // Any document, not only stories.
    let resource = ok_json(&app, "/api/stories/2025-01-03/resource/1").await;
    assert_eq!(resource["document"]["section"], "resource");
}

#[tokio::test]
async fn related_stories_for_a_story_and_for_a_text() {
    let app = default_app();
    let doc = openapi().await;
    let related = ok_json(&app, &format!("/api/stories/{STORY}/related?limit=3")).await;
    assert_shape(&doc, "RelatedAnswer", &related);
    assert_eq!(related["story"]["id"], STORY);
    let list = related["related"].as_array().unwrap();
    assert!(!list.is_empty() && list.len() <= 3, "{related}");
    assert_shape(&doc, "RelatedStory", &list[0]);
    for story in list {
        assert_ne!(story["issue_id"], "2025-01-03", "only other issues");
    }
    let encoded = ok_json(
        &app,
        &format!("/api/stories/{}/related?limit=3", STORY.replace('/', "%2F")),
    )
    .await;
    assert_eq!(encoded, related);
    // Served again from the serialized answers: another limit is another answer.
    let shorter = ok_json(&app, &format!("/api/stories/{STORY}/related?limit=2")).await;
    assert_eq!(shorter["related"].as_array().unwrap()[..], list[..2]);
    let windowed = ok_json(
        &app,
        &format!("/api/stories/{STORY}/related?limit=2&half_life=4&window=2"),
    )
    .await;
    assert_eq!(windowed["precomputed"], false);

    // One list per event: every copy of the story's event gets the same list, which
    // holds none of them (issue 11).
    let story = ok_json(&app, &format!("/api/stories/{STORY}")).await;
    let full = ok_json(&app, &format!("/api/stories/{STORY}/related?limit=10")).await;
    let copies = story["copies"].as_array().unwrap();
    assert!(!copies.is_empty(), "{story}");
    for copy in copies {
        let id = copy["id"].as_str().unwrap();
        let other = ok_json(&app, &format!("/api/stories/{id}/related?limit=10")).await;
        assert_eq!(other["related"], full["related"], "{id}");
        assert_eq!(other["story"]["id"], id);
        for story in full["related"].as_array().unwrap() {
            assert_ne!(story["id"], id);
            assert!(story.get("shared_kind").is_some() && story.get("same_headline").is_some());
        }
    }

    let text = ok_json(&app, "/api/related?text=a+new+edge+chip+for+robots&limit=2").await;
    assert_shape(&doc, "RelatedAnswer", &text);
    assert!(text["story"].is_null());
    assert!(!text["related"].as_array().unwrap().is_empty());
    assert_shape(&doc, "RelatedStory", &text["related"][0]);
}

#[tokio::test]
async fn resources_and_paths_by_level() {
    let app = default_app();
    let doc = openapi().await;
    let all = ok_json(&app, "/api/resources").await;
    assert_shape(&doc, "ResourceListing", &all);
    assert_eq!(
        all["groups"].as_array().unwrap().len(),
        4,
        "one group per level"
    );
    let beginner = ok_json(&app, "/api/resources?level=Beginner&limit=3").await;
    let group = &beginner["groups"][0];
    assert_eq!(group["level"], "Beginner");
    for item in group["items"].as_array().unwrap() {
        assert_shape(&doc, "ResourceItem", item);
        // Featured at a level that suits a beginner (the latest may be another).
        assert!(item["levels"]
            .as_array()
            .unwrap()
            .iter()
            .any(|l| l == "Beginner" || l == "All"));
    }
    let query = ok_json(
        &app,
        "/api/resources?q=retrieval+evaluation&level=intermediate",
    )
    .await;
    assert_eq!(query["query"], "retrieval evaluation");
    let for_story = ok_json(
        &app,
        &format!("/api/resources?for={STORY}&level=beginner&limit=2"),
    )
    .await;
    assert_eq!(for_story["for_story"]["id"], STORY);
    assert_eq!(for_story["sort"], "relevance");

    let paths = ok_json(&app, "/api/paths?level=advanced").await;
    assert_shape(&doc, "PathListing", &paths);
    for item in paths["groups"][0]["items"].as_array().unwrap() {
        assert_shape(&doc, "PathItem", item);
    }
    ok_json(&app, "/api/paths?q=agents&limit=1").await;
}

/// Every item of a listing, group after group.
fn listed(listing: &Value) -> Vec<&Value> {
    listing["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["items"].as_array().unwrap())
        .collect()
}

/// The shipped issues 2025-01-10 and 2025-01-24 feature "A Field Guide to Time Series
/// Anomaly Detection" at two URLs and two levels: one work, one entry.
#[tokio::test]
async fn resources_are_one_entry_per_work_with_every_level_and_url() {
    let app = default_app();
    let doc = openapi().await;
    let all = ok_json(&app, "/api/resources?limit=200").await;
    let items = listed(&all);
    assert_eq!(all["total"], items.len());
    let guide: Vec<&&Value> = items
        .iter()
        .filter(|r| {
            backissue_engine::text::titles::normalize_title(r["title"].as_str().unwrap())
                == "a field guide to time series anomaly detection"
        })
        .collect();
    assert_eq!(guide.len(), 1, "one entry for the work: {guide:?}");
    let guide = guide[0];
    assert_shape(&doc, "ResourceItem", guide);
    assert_eq!(guide["levels"], serde_json::json!(["Intermediate", "All"]));
    assert_eq!(guide["urls"].as_array().unwrap().len(), 2, "{guide}");
    assert_eq!(guide["times_featured"], 2);
    assert_eq!(
        guide["issues"],
        serde_json::json!(["2025-01-10", "2025-01-24"])
    );
    // The primary URL and level are the latest featuring's.
    assert_eq!(guide["level"], "Intermediate");
    assert_eq!(guide["url"], guide["urls"][1]);
    // Every entry once: no two share a title or a URL.
    let mut titles = BTreeSet::new();
    let mut urls = BTreeSet::new();
    for item in &items {
        let title = item["title"].as_str().unwrap().to_lowercase();
        assert!(titles.insert(title), "{item}");
        for url in item["urls"].as_array().unwrap() {
            assert!(urls.insert(url.as_str().unwrap().to_string()), "{item}");
        }
    }
    // A reader at a level gets the work when any of its levels suits.
    let intermediate = ok_json(&app, "/api/resources?level=intermediate&limit=200").await;
    assert!(listed(&intermediate)
        .iter()
        .any(|r| r["url"] == guide["url"]));
    let beginner = ok_json(&app, "/api/resources?level=beginner&limit=200").await;
    assert!(
        listed(&beginner).iter().any(|r| r["url"] == guide["url"]),
        "featured for All once, so it suits a beginner"
    );
    let advanced = ok_json(&app, "/api/resources?level=advanced&limit=200").await;
    assert!(listed(&advanced).iter().all(|r| r["levels"]
        .as_array()
        .unwrap()
        .iter()
        .any(|l| l == "Advanced" || l == "All")));
}

#[tokio::test]
async fn resources_and_paths_page_and_sort() {
    let app = default_app();
    let whole = ok_json(&app, "/api/resources?level=intermediate&limit=200").await;
    let every: Vec<&Value> = listed(&whole);
    let total = whole["total"].as_u64().unwrap() as usize;
    assert_eq!(total, every.len());
    assert!(total > 6, "enough to page: {total}");
    let mut paged: Vec<Value> = Vec::new();
    for offset in (0..total).step_by(4) {
        let page = ok_json(
            &app,
            &format!("/api/resources?level=intermediate&limit=4&offset={offset}"),
        )
        .await;
        assert_eq!(page["total"], total);
        assert_eq!(page["groups"][0]["total"], total);
        assert_eq!(
            (page["offset"].as_u64(), page["limit"].as_u64()),
            (Some(offset as u64), Some(4))
        );
        paged.extend(listed(&page).into_iter().cloned());
    }
    let urls = |items: &[&Value]| -> Vec<String> {
        items
            .iter()
            .map(|r| r["url"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        urls(&paged.iter().collect::<Vec<_>>()),
        urls(&every),
        "pages cut the whole listing in order"
    );
    let past = ok_json(
        &app,
        &format!("/api/resources?level=intermediate&limit=4&offset={total}"),
    )
    .await;
    assert!(listed(&past).is_empty());
    assert_eq!(past["total"], total);

    // Sorts.
    let newest = ok_json(&app, "/api/resources?sort=newest&limit=200").await;
    assert_eq!(newest["sort"], "newest");
    for group in newest["groups"].as_array().unwrap() {
        let dates: Vec<&str> = group["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["last_date"].as_str().unwrap())
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    }
    let often = ok_json(&app, "/api/resources?sort=most-featured&level=intermediate").await;
    let first = &listed(&often)[0];
    assert_eq!(
        first["times_featured"], 2,
        "the work featured twice first: {first}"
    );
    let titled = ok_json(&app, "/api/resources?sort=title&level=advanced&limit=200").await;
    let titles: Vec<String> = listed(&titled)
        .iter()
        .map(|r| backissue_engine::text::titles::normalize_title(r["title"].as_str().unwrap()))
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    let shortest = ok_json(&app, "/api/paths?sort=shortest&limit=200").await;
    for group in shortest["groups"].as_array().unwrap() {
        let minutes: Vec<u64> = group["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["total_minutes"].as_u64().unwrap())
            .collect();
        assert!(minutes.windows(2).all(|w| w[0] <= w[1]), "{minutes:?}");
    }
    let paths_page = ok_json(&app, "/api/paths?limit=1&offset=1").await;
    assert!(paths_page["groups"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["items"].as_array().unwrap().len() <= 1));

    // The pages page alike, with next and previous links.
    let first = get(&app, "/resources?level=intermediate&limit=4").await;
    assert_eq!(first.status.as_u16(), 200);
    let html = first.text();
    assert!(
        html.contains(&format!("Showing 1–4 of {total} resources")),
        "{html}"
    );
    assert!(
        html.contains("href=\"/resources?level=intermediate&amp;page=2&amp;limit=4\" rel=\"next\""),
        "{html}"
    );
    assert!(!html.contains("rel=\"prev\""));
    let second = get(&app, "/resources?level=intermediate&limit=4&page=2")
        .await
        .text();
    assert!(
        second.contains(&format!("Showing 5–8 of {total} resources")),
        "{second}"
    );
    assert!(second.contains("href=\"/resources?level=intermediate&amp;limit=4\" rel=\"prev\""));
    assert!(
        second.contains(&format!(
            ">{}</a>",
            every[4]["title"]
                .as_str()
                .unwrap()
                .replace('&', "&amp;")
                .replace('\'', "&#39;")
        )),
        "the fifth item leads page 2"
    );
    let bad = get(&app, "/resources?sort=shortest").await;
    assert_eq!(bad.status.as_u16(), 400);
    assert!(bad.text().contains("sort: "), "{}", bad.text());
    let bad = get(&app, "/paths?page=0").await;
    assert_eq!(bad.status.as_u16(), 400);
    assert!(get(&app, "/paths?sort=shortest&page=1&limit=2")
        .await
        .status
        .is_success());
}

/// Every step of every path of the index's issues is in `/api/paths` with its number,
/// text, minutes and link; paths give their total time and outcome, in JSON and CSV.
#[tokio::test]
async fn paths_carry_every_step_with_minutes_and_link() {
    let app = default_app();
    let doc = openapi().await;
    let mut parsed: BTreeSet<(String, u64, String, u64, String)> = BTreeSet::new();
    for issue in ISSUES {
        let path = api_support::repo().join(format!("corpus/{issue}.txt"));
        let issue = backissue_issue::parse_file(&path).unwrap();
        for learning in &issue.learning_paths {
            for step in &learning.steps {
                parsed.insert((
                    learning.title.clone(),
                    u64::from(step.n),
                    step.text.clone(),
                    u64::from(step.minutes),
                    step.url.clone(),
                ));
            }
        }
    }
    let listing = ok_json(&app, "/api/paths?limit=200").await;
    let mut served = BTreeSet::new();
    let mut steps = 0;
    for path in listed(&listing) {
        assert_shape(&doc, "PathItem", path);
        let path_steps = path["steps"].as_array().unwrap();
        let mut minutes = 0;
        for step in path_steps {
            assert_shape(&doc, "PathStep", step);
            steps += 1;
            minutes += step["minutes"].as_u64().unwrap();
            served.insert((
                path["title"].as_str().unwrap().to_string(),
                step["n"].as_u64().unwrap(),
                step["text"].as_str().unwrap().to_string(),
                step["minutes"].as_u64().unwrap(),
                step["url"].as_str().unwrap().to_string(),
            ));
        }
        assert_eq!(path["total_minutes"], minutes, "{path}");
        assert!(!path["outcome"].as_str().unwrap().is_empty());
    }
    assert!(!parsed.is_empty());
    assert_eq!(
        served, parsed,
        "every parsed step is served, and nothing else"
    );
    assert!(served
        .iter()
        .all(|(_, _, _, minutes, url)| *minutes > 0 && url.starts_with("http")));

    // CSV: one row per step.
    let csv = get(&app, "/api/paths?limit=200&format=csv").await;
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let text = csv.text();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "level_group,path,level,total_minutes,outcome,last_date,times_featured,step,text,minutes,url"
    );
    assert_eq!(lines.count(), steps);
    let accept = api_support::get_with(&app, "/api/paths?limit=1", &[("accept", "text/csv")]).await;
    assert!(accept.text().starts_with("level_group,"));

    // The page links every step and shows its time and the total.
    let html = get(&app, "/paths").await.text();
    let (_, _, text, _, url) = parsed.iter().next().unwrap();
    assert!(
        html.contains(&format!(
            "<a href=\"{}\" rel=\"noopener\">{}</a> <span class=\"minutes\"",
            url,
            text.replace('&', "&amp;").replace('\'', "&#39;")
        )),
        "{html}"
    );
    assert!(html.contains(" in all, "));
    assert!(html.contains("<strong>After this:</strong>"));
}

/// "Learn more": only resources above the floor; none, with the reason, when nothing
/// clears it.
#[tokio::test]
async fn a_story_lists_only_resources_above_the_floor() {
    let app = default_app();
    let index = backissue_engine::Index::open(&api_support::fixture().index).unwrap();
    let stories: Vec<String> = index
        .documents()
        .iter()
        .filter(|d| d.section == backissue_engine::Section::TopStory)
        .map(|d| d.id.clone())
        .collect();
    let mut empty = None;
    let mut listed_any = None;
    for story in &stories {
        let listing = ok_json(&app, &format!("/api/resources?for={story}&limit=10")).await;
        let floor = listing["min_relevance"].as_f64().expect("a floor");
        assert!(floor > 0.0);
        for item in listed(&listing) {
            assert!(
                item["signals"]["relevance"].as_f64().unwrap() >= floor,
                "{item}"
            );
        }
        if listing["total"] == 0 {
            assert_eq!(listing["note"], "no resource is close enough to this story");
            empty.get_or_insert(story.clone());
        } else {
            assert!(listing["note"].is_null());
            listed_any.get_or_insert(story.clone());
        }
    }
    let empty = empty.expect("some story has no resource close enough");
    let html = get(&app, &format!("/stories/{empty}")).await.text();
    assert!(
        html.contains(
            "<h2>Learn more</h2><p class=\"empty\">No resource is close enough to this story.</p>"
        ),
        "{html}"
    );
    let listed_any = listed_any.expect("some story has resources");
    let html = get(&app, &format!("/stories/{listed_any}")).await.text();
    assert!(
        html.contains("<h2>Learn more</h2><section class=\"level\""),
        "{html}"
    );
}

/// Up to 20 values per filter, so more than 40 in all across the filters: every
/// request the document allows is answered.
#[tokio::test]
async fn twenty_values_per_filter_in_every_filter_are_accepted() {
    let app = default_app();
    let mut uri = String::from("/api/search?q=chip");
    for region in backissue_issue::Region::KNOWN.iter().take(20) {
        uri.push_str(&format!("&region={}", region.as_str().replace(' ', "+")));
    }
    for (name, values) in [
        (
            "sector",
            backissue_issue::Sector::KNOWN
                .iter()
                .map(|v| v.as_str())
                .collect::<Vec<_>>(),
        ),
        (
            "kind",
            backissue_issue::ResourceKind::KNOWN
                .iter()
                .map(|v| v.as_str())
                .collect(),
        ),
        (
            "source",
            backissue_issue::Source::KNOWN
                .iter()
                .map(|v| v.as_str())
                .collect(),
        ),
    ] {
        for value in values {
            uri.push_str(&format!(
                "&{name}={}",
                value.replace(' ', "+").replace('&', "%26")
            ));
        }
    }
    let answer = ok_json(&app, &uri).await;
    assert!(answer["total"].is_u64(), "{answer}");
}

/// `for` with `sort`, `offset` and `q`: the story's listing, sorted and paged like any
/// other, and narrowed to what the words also find.
#[tokio::test]
async fn a_story_listing_sorts_pages_and_narrows_by_query() {
    let app = default_app();
    let index = backissue_engine::Index::open(&api_support::fixture().index).unwrap();
    // The story with the most resources above the floor.
    let mut best = (0, String::new());
    for doc in index.documents().iter().filter(|d| d.section.is_story()) {
        let listing = ok_json(&app, &format!("/api/resources?for={}&limit=200", doc.id)).await;
        let total = listing["total"].as_u64().unwrap();
        if total > best.0 {
            best = (total, doc.id.clone());
        }
    }
    let (total, story) = best;
    assert!(total >= 2, "some story has two resources above the floor");
    let all = ok_json(&app, &format!("/api/resources?for={story}&limit=200")).await;
    let by_relevance: Vec<&Value> = listed(&all);

    // Sorted: the same items, by title.
    let titled = ok_json(
        &app,
        &format!("/api/resources?for={story}&sort=title&limit=200"),
    )
    .await;
    assert_eq!(titled["sort"], "title");
    assert_eq!(titled["total"], all["total"]);
    assert_eq!(titled["min_relevance"], all["min_relevance"]);
    for group in titled["groups"].as_array().unwrap() {
        let titles: Vec<String> = group["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| backissue_engine::text::titles::normalize_title(i["title"].as_str().unwrap()))
            .collect();
        assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
    }
    let mut same: Vec<&Value> = listed(&titled);
    same.sort_by_key(|i| i["title"].as_str().unwrap().to_string());
    let mut expected = by_relevance.clone();
    expected.sort_by_key(|i| i["title"].as_str().unwrap().to_string());
    assert_eq!(same, expected);

    // Paged: the second item on, per group.
    let paged = ok_json(
        &app,
        &format!("/api/resources?for={story}&offset=1&limit=200"),
    )
    .await;
    assert_eq!(paged["offset"], 1);
    assert_eq!(paged["total"], all["total"]);
    for (page, whole) in paged["groups"]
        .as_array()
        .unwrap()
        .iter()
        .zip(all["groups"].as_array().unwrap())
    {
        let rest: Vec<&Value> = whole["items"].as_array().unwrap().iter().skip(1).collect();
        let page: Vec<&Value> = page["items"].as_array().unwrap().iter().collect();
        assert_eq!(page, rest);
    }

    // Narrowed by the words of one of its resources' titles: a subset that holds it,
    // each item keeping its relevance to the story (and clearing the floor).
    let first = by_relevance[0];
    let title = first["title"].as_str().unwrap();
    let narrowed = ok_json(
        &app,
        &format!(
            "/api/resources?for={story}&limit=200&q={}",
            title
                .bytes()
                .map(|b| format!("%{b:02X}"))
                .collect::<String>()
        ),
    )
    .await;
    assert_eq!(narrowed["for_story"]["id"], story.as_str());
    assert_eq!(narrowed["query"], title.trim());
    let found = listed(&narrowed);
    assert!(
        found.iter().any(|i| i["title"] == first["title"]),
        "{narrowed}"
    );
    assert!(found.len() <= by_relevance.len());
    for item in &found {
        assert!(by_relevance.contains(item), "{item} is one of the story's");
    }
}

#[tokio::test]
async fn trends_series_cooccurrence_movements_bursts_and_weeks() {
    let app = default_app();
    let doc = openapi().await;
    let series = ok_json(&app, "/api/trends/series?term=chip").await;
    assert_shape(&doc, "TrendSeries", &series);
    assert_eq!(series["weeks"].as_array().unwrap().len(), 4);
    assert_shape(&doc, "TrendPoint", &series["weeks"][0]);
    for query in [
        "sector=Energy",
        "region=Global",
        "source=TechCrunch",
        "q=%22edge+chip%22",
        "sector=finance-banking&term=chip",
    ] {
        let answer = ok_json(&app, &format!("/api/trends/series?{query}")).await;
        assert!(answer["events"].is_u64(), "{query}: {answer}");
    }
    let name = ok_json(&app, "/api/trends/series?name=Ravenmoor+Robotics").await;
    assert!(name["events"].as_u64().unwrap() >= 1, "{name}");

    let co = ok_json(&app, "/api/trends/cooccurrence?term=chip").await;
    assert_shape(&doc, "Cooccurrence", &co);
    for topic in co["topics"].as_array().unwrap() {
        assert_shape(&doc, "CooccurringTopic", topic);
        assert!(topic["lift"].as_f64().unwrap() > 1.0);
        assert!(topic["events"].as_u64().unwrap() <= co["events"].as_u64().unwrap());
    }
    // Each sector's count is the series' count for that sector.
    for (sector, count) in co["sectors"].as_object().unwrap() {
        let filtered = ok_json(
            &app,
            &format!(
                "/api/trends/series?term=chip&sector={}",
                sector.replace('&', "%26").replace(' ', "+")
            ),
        )
        .await;
        assert_eq!(&filtered["events"], count, "{sector}");
    }

    for movement in ["rising", "falling"] {
        let ranking = ok_json(&app, &format!("/api/trends/{movement}?week=latest&limit=5&recent_weeks=2&baseline_weeks=2&min_support=1")).await;
        assert_shape(&doc, "TopicRanking", &ranking);
        for topic in ranking["topics"].as_array().unwrap() {
            assert_shape(&doc, "RankedTopic", topic);
            // The evidence: a count for each week of both windows, adding up.
            let weekly = topic["weekly"].as_array().unwrap();
            assert_eq!(weekly.len(), 4, "{topic}");
            assert_eq!(weekly.last().unwrap()["week"], ranking["week"]);
            let recent: u64 = weekly[2..]
                .iter()
                .map(|w| w["events"].as_u64().unwrap())
                .sum();
            assert_eq!(
                recent as f64,
                topic["recent_count"].as_f64().unwrap(),
                "{topic}"
            );
            assert!(
                ["name", "phrase", "sector", "region"].contains(&topic["kind"].as_str().unwrap())
            );
        }
    }
    let week = ok_json(&app, "/api/trends/rising?week=2025-W03").await;
    assert_eq!(week["week"], "2025-W03");

    let bursts = ok_json(&app, "/api/trends/bursts?limit=3").await;
    for burst in bursts.as_array().unwrap() {
        assert_shape(&doc, "TopicBurst", burst);
    }
    let of_query = ok_json(&app, "/api/trends/bursts?term=investors&s=1.5&gamma=0.5").await;
    for burst in of_query.as_array().unwrap() {
        assert!(burst["kind"].is_null());
    }

    let weeks = ok_json(&app, "/api/trends/weeks").await;
    assert_eq!(weeks.as_array().unwrap().len(), 4);
    assert_shape(&doc, "ArchiveWeek", &weeks[0]);
}

#[tokio::test]
async fn issues_list_and_one_issue_by_section() {
    let app = default_app();
    let doc = openapi().await;
    let list = ok_json(&app, "/api/issues").await;
    assert_shape(&doc, "IssueList", &list);
    let ids: Vec<&str> = list["issues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    let mut newest_first = ISSUES.to_vec();
    newest_first.reverse();
    assert_eq!(ids, newest_first);
    assert_shape(&doc, "IssueSummary", &list["issues"][0]);
    assert!(list["issues"][0]["headline"].is_string());

    let issue = ok_json(&app, "/api/issues/2025-01-10").await;
    assert_shape(&doc, "IssueDetail", &issue);
    let sections: Vec<&str> = issue["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["section"].as_str().unwrap())
        .collect();
    assert_eq!(sections[0], "top_story");
    let total: usize = issue["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["documents"].as_array().unwrap().len())
        .sum();
    assert_eq!(total as u64, issue["documents"].as_u64().unwrap());
    assert_eq!(issue["parsed"]["id"], "2025-01-10");
    assert!(issue["parsed"]["top_stories"].is_array());
}

#[tokio::test]
async fn health_readiness_metrics_and_stats() {
    let app = default_app();
    let health = ok_json(&app, "/healthz").await;
    assert_eq!(health["status"], "ok");
    let ready = ok_json(&app, "/readyz").await;
    assert!(ready["generation"].is_string());
    let stats = ok_json(&app, "/api/stats").await;
    assert_eq!(stats["issues"], 4);

    get(&app, "/api/search?q=chip&mode=keyword").await;
    let metrics = get(&app, "/metrics").await;
    assert_eq!(metrics.status.as_u16(), 200);
    let text = metrics.text();
    assert!(
        text.contains(
            "backissue_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"}"
        ),
        "{text}"
    );
    assert!(text.contains("backissue_http_request_duration_seconds_bucket{route=\"/api/search\""));
    assert!(text.contains("backissue_index_documents "));
    assert!(text.contains("backissue_index_generation_info{generation="));

    // The same semantic query twice: the second embedding comes from the cache.
    for _ in 0..2 {
        get(
            &app,
            "/api/search?q=chips+for+robots+at+the+edge&mode=semantic",
        )
        .await;
    }
    get(&app, &format!("/api/stories/{STORY}/related?limit=3")).await;
    let text = get(&app, "/metrics").await.text();
    let value = |series: &str| -> f64 {
        let line = text.lines().find(|l| l.starts_with(series));
        let value = line.and_then(|l| l[series.len()..].trim().parse().ok());
        value.unwrap_or_else(|| panic!("no {series} in\n{text}"))
    };
    assert!(
        value("backissue_http_requests_total{route=\"/api/search\",method=\"GET\",status=\"200\"}")
            >= 1.0
    );
    assert!(value("backissue_cache_hits_total{cache=\"query_vectors\"}") >= 1.0);
    let related = value("backissue_cache_hits_total{cache=\"related_json\"}")
        + value("backissue_cache_misses_total{cache=\"related_json\"}");
    assert!(related >= 1.0, "{text}");
    let generation = api_support::fixture().loaded.generation();
    assert_eq!(
        value(&format!(
            "backissue_index_generation_info{{generation=\"{generation}\"}}"
        )),
        1.0
    );
    // Other tests share the generation: its queue may hold their queries.
    value("backissue_embedding_queue");
    value("backissue_embedding_refused_total");
    value("backissue_work_refused_total");
    if cfg!(target_os = "linux") {
        assert!(value("process_resident_memory_bytes") > 0.0);
        value("process_cpu_seconds_total");
    }
}
