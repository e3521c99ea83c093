//! Every mistake a client can make is a JSON 4xx naming the parameter at fault,
//! never a 500; limits answer JSON too.

use std::time::Duration;

use axum::body::Body;
use axum::http::Request;
use backissue_server::{app, AppState, ServerConfig};

mod api_support;
mod common;
use api_support::{config, default_app, fixture, get, send, state_with, STORY};

#[tokio::test]
async fn bad_search_parameters_name_the_parameter() {
    let app = default_app();
    let cases: &[(&str, &str)] = &[
        ("/api/search?q=x&mode=fuzzy", "mode:"),
        ("/api/search?q=x&sort=best", "sort:"),
        ("/api/search?q=x&from=2025-02-30", "from:"),
        ("/api/search?q=x&to=yesterday", "to:"),
        ("/api/search?q=x&sector=Mining", "sector:"),
        ("/api/search?q=x&region=Atlantis", "region:"),
        ("/api/search?q=x&section=story", "section:"),
        ("/api/search?q=x&level=expert", "level:"),
        ("/api/search?q=x&limit=101", "limit:"),
        ("/api/search?q=x&limit=-1", "limit:"),
        ("/api/search?q=x&offset=ten", "offset:"),
        ("/api/search?q=x&semantic_ratio=2", "semantic_ratio:"),
        ("/api/search?q=x&collapse=maybe", "collapse:"),
        ("/api/search?q=x&q=y", "q:"),
        ("/api/search?qq=x", "qq:"),
        ("/api/search?q=%zz", "q:"),
        ("/api/search?q=%C3%28", "q:"),
        ("/api/search?q=x&sector=%", "sector:"),
        // More than the document's `maxItems` (20), blank or repeated values too.
        (
            &"&sector=".repeat(21).replacen('&', "/api/search?", 1),
            "sector:",
        ),
        (
            &"&region=US".repeat(21).replacen('&', "/api/search?", 1),
            "region:",
        ),
    ];
    for (uri, parameter) in cases {
        let message = get(&app, uri).await.error(400, "bad_parameter");
        assert!(message.starts_with(parameter), "{uri}: {message}");
    }
}

#[tokio::test]
async fn a_query_over_the_length_limit_is_refused() {
    let app = default_app();
    let long = "a".repeat(backissue_engine::search::MAX_QUERY_CHARS + 1);
    let message = get(&app, &format!("/api/search?q={long}"))
        .await
        .error(400, "query_too_long");
    assert!(message.starts_with("q:"), "{message}");
    let text = "word+".repeat(1_000);
    get(&app, &format!("/api/related?text={text}"))
        .await
        .error(400, "query_too_long");
    get(&app, &format!("/api/trends/series?term={long}"))
        .await
        .error(400, "query_too_long");
}

#[tokio::test]
async fn unknown_stories_and_issues_are_404() {
    let app = default_app();
    let message = get(&app, "/api/stories/2025-01-03/top/99")
        .await
        .error(404, "unknown_story");
    assert!(message.contains("2025-01-03/top/99"), "{message}");
    get(&app, "/api/stories/2025-01-03/top/99/related")
        .await
        .error(404, "unknown_story");
    get(&app, "/api/stories/2025-01-03%2Ftop%2F99/related")
        .await
        .error(404, "unknown_story");
    // Related stories are for stories only.
    let message = get(&app, "/api/stories/2025-01-03/resource/1/related")
        .await
        .error(404, "unknown_story");
    assert!(message.contains("not a story"), "{message}");
    get(&app, "/api/resources?for=2025-01-03/top/99")
        .await
        .error(404, "unknown_story");
    get(&app, "/api/issues/2031-01-01")
        .await
        .error(404, "unknown_issue");
    // A well-formed week outside the archive: no ranking there, and the message
    // says where the archive runs.
    for uri in [
        "/api/trends/rising?week=2030-W01",
        "/api/trends/falling?week=1999-12-31",
        "/api/trends/rising?week=4804-W07&format=csv",
    ] {
        let message = get(&app, uri).await.error(404, "unknown_week");
        assert!(message.starts_with("week:"), "{uri}: {message}");
        assert!(
            message.contains("the archive runs from 2025-W01 to 2025-W04"),
            "{uri}: {message}"
        );
    }
}

#[tokio::test]
async fn bad_percent_encoding_in_paths_is_a_clear_4xx() {
    let app = default_app();
    // A `%` that is no escape is part of the id, which names no story.
    get(&app, "/api/stories/2025-01-03%2Gtop%2F7")
        .await
        .error(404, "unknown_story");
    get(&app, "/api/issues/2025-01-03%25")
        .await
        .error(404, "unknown_issue");
    get(&app, "/api/stories/%FF%FE/related")
        .await
        .error(400, "bad_parameter");
    get(&app, "/api/issues/%E2%82")
        .await
        .error(400, "bad_parameter");
}

#[tokio::test]
async fn other_routes_check_their_parameters() {
    let app = default_app();
    let cases: &[(&str, &str)] = &[
        (&format!("/api/stories/{STORY}/related?limit=0"), "limit:"),
        (&format!("/api/stories/{STORY}/related?limit=51"), "limit:"),
        (
            &format!("/api/stories/{STORY}/related?half_life=-2"),
            "half_life:",
        ),
        (
            &format!("/api/stories/{STORY}/related?window=soon"),
            "window:",
        ),
        ("/api/related?text=x&window=2147483648", "window:"),
        ("/api/related?text=x&window=10001", "window:"),
        (&format!("/api/stories/{STORY}?limit=3"), "limit:"),
        ("/api/related", "text:"),
        ("/api/related?text=+++", "text:"),
        ("/api/resources?level=guru", "level:"),
        ("/api/resources?limit=0", "limit:"),
        ("/api/paths?for=x", "for:"),
        ("/api/resources?sort=shortest", "sort:"),
        ("/api/resources?sort=oldest", "sort:"),
        ("/api/paths?sort=longest", "sort:"),
        ("/api/resources?offset=-1", "offset:"),
        ("/api/paths?offset=10001", "offset:"),
        ("/api/paths?format=xml", "format:"),
        ("/api/trends/series?sector=Mining", "sector:"),
        ("/api/trends/series?term=x&format=xml", "format:"),
        ("/api/trends/rising?week=someday", "week:"),
        ("/api/trends/falling?week=2026-W54", "week:"),
        ("/api/trends/rising?week=2025-02-30", "week:"),
        (
            &format!("/api/resources?for={STORY}&sort=shortest"),
            "sort:",
        ),
        (
            &format!("/api/resources?for={STORY}&offset=10001"),
            "offset:",
        ),
        ("/api/trends/falling?recent_weeks=0", "recent_weeks:"),
        ("/api/trends/rising?limit=1000", "limit:"),
        ("/api/trends/bursts?s=1", "s:"),
        ("/api/trends/bursts?gamma=-1", "gamma:"),
        ("/api/issues?page=2", "page:"),
    ];
    for (uri, parameter) in cases {
        let message = get(&app, uri).await.error(400, "bad_parameter");
        assert!(message.starts_with(parameter), "{uri}: {message}");
    }
}

#[tokio::test]
async fn unknown_routes_and_methods_are_json_under_api() {
    let app = default_app();
    let message = get(&app, "/api/nothing/here").await.error(404, "not_found");
    assert!(message.contains("/api/nothing/here"), "{message}");
    get(&app, "/api/stories").await.error(404, "not_found");
    let delete = Request::delete("/api/search").body(Body::empty()).unwrap();
    send(&app, delete).await.error(405, "method_not_allowed");
    let outside = get(&app, "/no-such-page").await;
    assert_eq!(outside.status.as_u16(), 404);
}

#[tokio::test]
async fn the_admin_route_exists_only_with_a_token_and_wants_it() {
    let without = default_app();
    let post = || {
        Request::post("/api/admin/reindex")
            .body(Body::empty())
            .unwrap()
    };
    send(&without, post()).await.error(404, "not_found");

    let mut with_token = config();
    with_token.admin_token = Some("s3cret-token".to_string());
    let app = app(state_with(with_token));
    send(&app, post()).await.error(401, "unauthorized");
    let wrong = Request::post("/api/admin/reindex")
        .header("authorization", "Bearer s3cret-tokem")
        .body(Body::empty())
        .unwrap();
    send(&app, wrong).await.error(401, "unauthorized");
    let basic = Request::post("/api/admin/reindex")
        .header("authorization", "Basic czNjcmV0LXRva2Vu")
        .body(Body::empty())
        .unwrap();
    send(&app, basic).await.error(401, "unauthorized");
    let get_it = get(&app, "/api/admin/reindex").await;
    get_it.error(405, "method_not_allowed");
}

#[tokio::test]
async fn the_admin_route_reindexes_and_serves_the_result() {
    let f = fixture();
    // A copy of the fixture's corpus and index: re-indexing must not touch the shared one.
    let dir = tempfile::tempdir().unwrap();
    let (corpus, index) = (dir.path().join("corpus"), dir.path().join("index"));
    common::copy_dir(&f.corpus, &corpus);
    common::copy_dir(&f.index, &index);
    let mut config = ServerConfig::new(&index, &corpus);
    config.admin_token = Some("s3cret-token".to_string());
    let state = AppState::new(config, f.embedder.clone());
    let loaded = state.clone();
    tokio::task::spawn_blocking(move || loaded.reload())
        .await
        .unwrap()
        .unwrap();
    let app = app(state.clone());

    std::fs::copy(
        api_support::repo().join("corpus/2025-01-31.txt"),
        corpus.join("2025-01-31.txt"),
    )
    .unwrap();
    let request = || {
        Request::post("/api/admin/reindex")
            .header("authorization", "Bearer s3cret-token")
            .body(Body::empty())
            .unwrap()
    };
    let answer = send(&app, request()).await;
    assert_eq!(answer.status.as_u16(), 200, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["report"]["issues_added"][0], "2025-01-31");
    assert_eq!(body["serving"], body["report"]["generation"]);
    let issue = get(&app, "/api/issues/2025-01-31").await;
    assert_eq!(issue.status.as_u16(), 200, "{}", issue.text());

    // While another indexer holds the index, the route says so.
    let _lock = backissue_engine::generation::Layout::new(&index)
        .lock()
        .unwrap();
    let message = send(&app, request()).await.error(409, "conflict");
    assert!(message.contains("already running"), "{message}");
}

#[tokio::test]
async fn not_ready_until_a_generation_is_loaded() {
    let empty = tempfile::tempdir().unwrap();
    let state = AppState::new(
        ServerConfig::new(empty.path(), empty.path()),
        fixture().embedder.clone(),
    );
    let app = app(state);
    assert_eq!(get(&app, "/healthz").await.status.as_u16(), 200);
    get(&app, "/readyz").await.error(503, "not_ready");
    get(&app, "/api/search?q=x").await.error(503, "not_ready");
    get(&app, "/api/issues").await.error(503, "not_ready");
}

#[tokio::test]
async fn bodies_over_the_limit_are_413() {
    let mut config = config();
    config.limits.max_body_bytes = 1024;
    config.admin_token = Some("t".into());
    let app = app(state_with(config));
    let big = Request::post("/api/admin/reindex")
        .header("content-length", "4096")
        .body(Body::from(vec![b'x'; 4096]))
        .unwrap();
    let message = send(&app, big).await.error(413, "payload_too_large");
    assert!(message.starts_with("body:"), "{message}");
    // A body without a Content-Length header is measured and cut too.
    let unannounced = Request::post("/api/admin/reindex")
        .body(Body::from(vec![b'x'; 4096]))
        .unwrap();
    send(&app, unannounced)
        .await
        .error(413, "payload_too_large");
}

#[tokio::test]
async fn requests_over_the_time_limit_are_503() {
    let mut config = config();
    config.limits.request_timeout = Duration::from_nanos(1);
    let app = app(state_with(config));
    let message = get(&app, "/api/search?q=edge+chips&mode=semantic")
        .await
        .error(503, "overloaded");
    // Either the timeout answered, or the engine's budget stopped the work between
    // two stages first: both say to come back.
    assert!(
        message.contains("longer than") || message.contains("time ran out"),
        "{message}"
    );
    // Health is never limited.
    assert_eq!(get(&app, "/healthz").await.status.as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn requests_over_the_concurrency_limit_are_refused_not_queued() {
    let mut config = config();
    config.limits.max_concurrency = 1;
    let app = app(state_with(config));
    // Hold the only permit with a slow request (many semantic queries at once).
    let slow = {
        let app = app.clone();
        tokio::spawn(async move {
            let mut busy = 0;
            for i in 0..50 {
                let answer = get(
                    &app,
                    &format!("/api/related?text=robots+{i}&limit=50&half_life=3"),
                )
                .await;
                if answer.status.as_u16() == 503 {
                    busy += 1;
                }
            }
            busy
        })
    };
    let mut refused = 0;
    for _ in 0..200 {
        let answer = get(&app, "/api/search?q=chip&mode=keyword").await;
        match answer.status.as_u16() {
            200 => {}
            503 => {
                answer.error(503, "overloaded");
                refused += 1;
            }
            other => panic!("unexpected {other}: {}", answer.text()),
        }
    }
    let refused_slow = slow.await.unwrap();
    assert!(
        refused + refused_slow > 0,
        "with one permit, concurrent requests are refused"
    );
}
