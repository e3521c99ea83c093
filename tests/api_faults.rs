//! The smaller faults of a server under attack or mishap: conditional requests for
//! what does not exist, a padded admin token, the pages' security headers, and a
//! generation that fails to load (retried with backoff, reported by `/readyz`, and
//! never reloaded in a loop when its manifest names another generation).

use std::path::Path;
use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use backissue_server::{app, AppState, ServerConfig};

mod api_support;
mod common;
use api_support::{default_app, fixture, get, get_with, send, state_with, STORY};

#[tokio::test]
async fn if_none_match_star_is_no_304_for_a_story_that_does_not_exist() {
    let app = default_app();
    let star = [("if-none-match", "*")];
    get_with(&app, "/api/stories/2099-01-01/top/1/related", &star)
        .await
        .error(404, "unknown_story");
    let known = get_with(&app, &format!("/api/stories/{STORY}/related"), &star).await;
    assert_eq!(known.status.as_u16(), 304, "{}", known.text());
}

#[tokio::test]
async fn a_configured_admin_token_is_trimmed_like_the_one_sent() {
    // A token read from a file ends with a newline; the client's never does.
    let empty = tempfile::tempdir().unwrap();
    let mut config = ServerConfig::new(empty.path().join("index"), empty.path().join("corpus"));
    config.admin_token = Some("s3cret-token\n".to_string());
    let app = app(state_with(config));
    let post = |token: &str| {
        Request::post("/api/admin/reindex")
            .header("authorization", format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap()
    };
    send(&app, post("s3cret-tokem"))
        .await
        .error(401, "unauthorized");
    let answer = send(&app, post("s3cret-token")).await;
    assert_ne!(answer.status.as_u16(), 401, "{}", answer.text());
}

#[tokio::test]
async fn pages_carry_a_content_security_policy_and_nothing_is_sniffed() {
    let app = default_app();
    for uri in [
        "/",
        "/search?q=loan",
        &format!("/stories/{STORY}"),
        "/issues",
        "/trends?term=loan",
        "/resources",
    ] {
        let page = get(&app, uri).await;
        assert_eq!(page.status.as_u16(), 200, "{uri}: {}", page.text());
        let csp = page.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp:?}");
        assert!(csp.contains("script-src 'self'"), "{uri}: {csp:?}");
        assert!(!csp.contains("unsafe-inline"), "{uri}: {csp:?}");
        assert_eq!(page.header("x-frame-options"), Some("DENY"), "{uri}");
        assert_eq!(
            page.header("x-content-type-options"),
            Some("nosniff"),
            "{uri}"
        );
        // What the policy forbids, the pages must not use.
        let html = page.text();
        assert!(!html.contains(" style=\""), "{uri}: an inline style");
        assert!(!html.contains("<script>"), "{uri}: an inline script");
    }
    let api = get(&app, "/api/search?q=loan").await;
    assert_eq!(api.header("x-content-type-options"), Some("nosniff"));
    assert!(api.header("content-security-policy").is_none());
    // The widget is loaded by other sites' pages: a script, served as one.
    let widget = get(&app, "/widget.js").await;
    assert!(widget
        .header("content-type")
        .unwrap_or("")
        .contains("javascript"));
}

/// A copy of the fixture's index and a state over it, loaded.
async fn loaded_copy(dir: &Path) -> (AppState, String) {
    let f = fixture();
    let index = dir.join("index");
    common::copy_dir(&f.index, &index);
    let mut config = ServerConfig::new(&index, &f.corpus);
    config.reload_interval = Duration::from_millis(50);
    let state = AppState::new(config, f.embedder.clone());
    let loader = state.clone();
    let name = tokio::task::spawn_blocking(move || loader.reload())
        .await
        .unwrap()
        .unwrap()
        .expect("the copy loads");
    (state, name)
}

async fn reload(state: &AppState) -> Result<Option<String>, String> {
    let loader = state.clone();
    tokio::task::spawn_blocking(move || loader.reload())
        .await
        .unwrap()
        .map_err(|e| e.to_string())
}

#[tokio::test]
async fn a_generation_that_fails_to_load_is_retried_with_backoff_and_readyz_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let (state, served) = loaded_copy(dir.path()).await;
    let index = dir.path().join("index");
    let app = app(state.clone());
    assert_eq!(get(&app, "/readyz").await.json()["status"], "ok");

    // A new generation whose manifest is damaged (a copy cut short, say).
    let generations = index.join("generations");
    let next = format!("{:06}", served.parse::<u32>().unwrap() + 1);
    common::copy_dir(&generations.join(&served), &generations.join(&next));
    let manifest = generations.join(&next).join("manifest.json");
    let good = std::fs::read(&manifest).unwrap();
    std::fs::write(&manifest, &good[..good.len() / 2]).unwrap();
    std::fs::write(index.join("CURRENT"), format!("{next}\n")).unwrap();

    let error = reload(&state)
        .await
        .expect_err("a damaged manifest does not load");
    assert!(error.contains("manifest.json"), "{error}");
    // Not retried at once: the next attempt waits.
    assert_eq!(reload(&state).await, Ok(None));
    let ready = get(&app, "/readyz").await;
    assert_eq!(
        ready.status.as_u16(),
        200,
        "the old generation is still served"
    );
    let body = ready.json();
    assert_eq!(body["status"], "degraded", "{body}");
    assert_eq!(body["generation"], served.as_str(), "{body}");
    assert_eq!(body["failed"]["generation"], next.as_str(), "{body}");
    assert_eq!(body["failed"]["attempts"], 1, "{body}");
    assert!(
        body["failed"]["error"]
            .as_str()
            .unwrap()
            .contains("manifest.json"),
        "{body}"
    );
    assert!(
        !body["failed"]["error"]
            .as_str()
            .unwrap()
            .contains(dir.path().to_str().unwrap()),
        "{body}"
    );
    // Search goes on, on the old generation.
    assert_eq!(get(&app, "/api/search?q=loan").await.status.as_u16(), 200);

    // The fault heals (the copy completes): the next due attempt loads it.
    std::fs::write(&manifest, &good).unwrap();
    // A manifest naming the generation it was copied from is itself a fault.
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let error = loop {
        match reload(&state).await {
            Err(error) => break error,
            Ok(None) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            other => panic!("a copied manifest naming {served} was loaded: {other:?}"),
        }
    };
    assert!(
        error.contains("names generation") && error.contains(&served),
        "{error}"
    );
    assert_eq!(get(&app, "/readyz").await.json()["failed"]["attempts"], 2);

    // Rewrite its name: it now loads, and readiness is plain ok again.
    let text = String::from_utf8(good).unwrap().replace(
        &format!("\"generation\": \"{served}\""),
        &format!("\"generation\": \"{next}\""),
    );
    assert!(
        text.contains(&next),
        "the manifest spells its generation as expected"
    );
    std::fs::write(&manifest, text).unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        match reload(&state).await {
            Ok(Some(name)) => {
                assert_eq!(name, next);
                break;
            }
            Ok(None) if std::time::Instant::now() < deadline => {
                tokio::time::sleep(Duration::from_millis(20)).await
            }
            other => panic!("the healed generation did not load: {other:?}"),
        }
    }
    let body = get(&app, "/readyz").await.json();
    assert_eq!(body["status"], "ok", "{body}");
    assert_eq!(body["generation"], next.as_str(), "{body}");
    assert!(body.get("failed").is_none(), "{body}");
}

/// The message of a page's 400 (the pages show it in a paragraph).
fn page_says(page: &api_support::Answer, message: &str) -> bool {
    let html = page.text();
    // The page escapes what it shows: compare with the same escaping.
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    html.contains(&escaped) || html.contains(message)
}

#[tokio::test]
async fn the_pages_refuse_what_the_api_refuses_with_the_same_words() {
    let app = default_app();
    // The filter bomb: thousands of spellings of one sector in a 64 KB URL.
    let spellings = ["Tech!$", "tEcH*~", "TECH", "tech."];
    let bomb: Vec<String> = (0..3_400)
        .map(|n| format!("sector={}", spellings[n % spellings.len()]))
        .collect();
    let bomb = bomb.join("&");
    let words = "a+".repeat(21_000);
    let cases = [
        (
            format!("/search?q=loan&{bomb}"),
            format!("/api/search?q=loan&{bomb}"),
        ),
        (
            "/search?q=loan&sectr=Tech".to_string(),
            "/api/search?q=loan&sectr=Tech".to_string(),
        ),
        (
            format!("/resources?q={words}"),
            format!("/api/resources?q={words}"),
        ),
        (
            format!("/trends?term={words}"),
            format!("/api/trends/series?term={words}"),
        ),
        (
            "/search?q=loan&mode=fuzzy".to_string(),
            "/api/search?q=loan&mode=fuzzy".to_string(),
        ),
    ];
    for (page_uri, api_uri) in &cases {
        let api = get(&app, api_uri).await;
        assert_eq!(api.status.as_u16(), 400, "{api_uri}: {}", api.text());
        let message = api.json()["error"]["message"].as_str().unwrap().to_string();
        let page = get(&app, page_uri).await;
        assert_eq!(
            page.status.as_u16(),
            400,
            "{}",
            &page_uri[..60.min(page_uri.len())]
        );
        assert!(
            page_says(&page, &message),
            "{}: the page does not say {message:?}",
            &page_uri[..60.min(page_uri.len())]
        );
        assert!(
            page.body.len() < 32 * 1024,
            "a {}-byte answer",
            page.body.len()
        );
    }
    // Up to the 20 values the document allows, distinct spellings of one sector
    // collapse: one value, one chip, a normal page.
    let collapsed: Vec<String> = (0..20)
        .map(|n| format!("sector={}", spellings[n % spellings.len()]))
        .collect();
    let page = get(&app, &format!("/search?q=loan&{}", collapsed.join("&"))).await;
    assert_eq!(page.status.as_u16(), 200, "{}", page.text());
    assert!(
        page.body.len() < 256 * 1024,
        "a {}-byte page",
        page.body.len()
    );
}

#[tokio::test]
async fn an_empty_date_range_and_an_unfiltered_trend_are_answers_not_errors() {
    let app = default_app();
    let answer =
        api_support::ok_json(&app, "/api/search?q=loan&from=2025-06-01&to=2025-01-01").await;
    assert_eq!(answer["total"], 0, "{answer}");
    let notes = answer["notes"].to_string();
    assert!(notes.contains("is after to"), "{notes}");
    let series = api_support::ok_json(&app, "/api/trends/series").await;
    assert_eq!(series["query"], "every event", "{series}");
    let weeks = series["weeks"].as_array().unwrap();
    assert!(!weeks.is_empty());
    assert!(weeks.iter().all(|w| w["events"] == w["total"]), "{series}");
}
