//! HTTP behaviour around the answers: caching (ETag, 304), compression, CORS for
//! the widget's routes, CSV.

use backissue_server::app;

mod api_support;
use api_support::{config, default_app, get, get_with, state_with, STORY};

#[tokio::test]
async fn related_answers_are_cacheable_and_revalidate_with_304() {
    let app = default_app();
    let uri = format!("/api/stories/{STORY}/related?limit=3");
    let first = get(&app, &uri).await;
    assert_eq!(first.status.as_u16(), 200);
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(
        etag.contains(&api_support::fixture().loaded.generation().to_string()),
        "{etag}"
    );
    assert!(first
        .header("cache-control")
        .unwrap()
        .starts_with("public, max-age="));

    let again = get_with(&app, &uri, &[("if-none-match", &etag)]).await;
    assert_eq!(again.status.as_u16(), 304);
    assert!(again.body.is_empty());
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    let listed = get_with(
        &app,
        &uri,
        &[("if-none-match", &format!("\"other\", {etag}"))],
    )
    .await;
    assert_eq!(listed.status.as_u16(), 304);
    let strong = etag.trim_start_matches("W/");
    assert_eq!(
        get_with(&app, &uri, &[("if-none-match", strong)])
            .await
            .status
            .as_u16(),
        304
    );

    // Other parameters, another ETag; a stale ETag gets the whole answer.
    let other = get(&app, &format!("/api/stories/{STORY}/related?limit=2")).await;
    assert_ne!(other.header("etag"), Some(etag.as_str()));
    let stale = get_with(&app, &uri, &[("if-none-match", "W/\"000000-0\"")]).await;
    assert_eq!(stale.status.as_u16(), 200);

    let text = get(&app, "/api/related?text=edge+chips").await;
    let text_etag = text.header("etag").unwrap().to_string();
    let text_again = get_with(
        &app,
        "/api/related?text=edge+chips",
        &[("if-none-match", &text_etag)],
    )
    .await;
    assert_eq!(text_again.status.as_u16(), 304);
}

#[tokio::test]
async fn answers_are_gzipped_when_asked() {
    let app = default_app();
    let plain = get(&app, "/api/issues").await;
    assert_eq!(plain.header("content-encoding"), None);
    let zipped = get_with(&app, "/api/issues", &[("accept-encoding", "gzip")]).await;
    assert_eq!(zipped.status.as_u16(), 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(&zipped.body[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(zipped.body.len() < plain.body.len());
}

#[tokio::test]
async fn cors_only_for_configured_origins_on_the_widget_routes() {
    let mut config = config();
    config.cors_origins = vec!["https://news.example".to_string()];
    let app = app(state_with(config));
    let origin = [("origin", "https://news.example")];
    let related = format!("/api/stories/{STORY}/related");

    for uri in [related.as_str(), "/api/related?text=chips"] {
        let allowed = get_with(&app, uri, &origin).await;
        assert_eq!(
            allowed.header("access-control-allow-origin"),
            Some("https://news.example"),
            "{uri}"
        );
        let denied = get_with(&app, uri, &[("origin", "https://evil.example")]).await;
        assert_eq!(denied.status.as_u16(), 200);
        assert_eq!(denied.header("access-control-allow-origin"), None, "{uri}");
    }
    // The widget's script, served by the pages.
    let script = get_with(&app, "/widget.js", &origin).await;
    assert_eq!(script.status.as_u16(), 200);
    assert_eq!(
        script.header("access-control-allow-origin"),
        Some("https://news.example")
    );

    // Not a widget route: no CORS even for the configured origin.
    let search = get_with(&app, "/api/search?q=chip&mode=keyword", &origin).await;
    assert_eq!(search.header("access-control-allow-origin"), None);

    // Preflight.
    let preflight = axum::http::Request::builder()
        .method("OPTIONS")
        .uri(&related)
        .header("origin", "https://news.example")
        .header("access-control-request-method", "GET")
        .body(axum::body::Body::empty())
        .unwrap();
    let answer = api_support::send(&app, preflight).await;
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://news.example")
    );
    assert!(answer
        .header("access-control-allow-methods")
        .unwrap()
        .contains("GET"));

    // No origin configured: nobody is allowed.
    let closed = default_app();
    let answer = get_with(&closed, &related, &origin).await;
    assert_eq!(answer.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn trends_answer_csv_by_format_or_accept() {
    let app = default_app();
    let by_format = get(&app, "/api/trends/series?term=chip&format=csv").await;
    assert_eq!(by_format.status.as_u16(), 200);
    assert!(by_format
        .header("content-type")
        .unwrap()
        .starts_with("text/csv"));
    let text = by_format.text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("week,monday,events,total,share"));
    assert_eq!(lines.count(), 4, "one line per week");

    let by_accept = get_with(
        &app,
        "/api/trends/series?term=chip",
        &[("accept", "text/csv")],
    )
    .await;
    assert_eq!(by_accept.text(), text);
    let json_wins = get_with(
        &app,
        "/api/trends/series?term=chip&format=json",
        &[("accept", "text/csv")],
    )
    .await;
    assert!(json_wins
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));

    for (uri, header) in [
        (
            "/api/trends/cooccurrence?term=chip&format=csv",
            "week,facet,value,events,lift",
        ),
        (
            "/api/trends/rising?format=csv&recent_weeks=2&baseline_weeks=2&min_support=1",
            "rank,week,kind,topic,score",
        ),
        (
            "/api/trends/falling?format=csv",
            "rank,week,kind,topic,score",
        ),
        (
            "/api/trends/bursts?format=csv",
            "topic,kind,start,end,weeks,events,weight",
        ),
        ("/api/trends/weeks?format=csv", "week,monday,issues,events"),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status.as_u16(), 200, "{uri}: {}", answer.text());
        assert!(
            answer.text().starts_with(header),
            "{uri}: {}",
            answer.text()
        );
    }
    // Quoted fields: sectors with commas never break a line; `Finance & Banking` is one field.
    let co = get(&app, "/api/trends/cooccurrence?term=chip&format=csv")
        .await
        .text();
    for line in co.lines() {
        assert_eq!(line.split(',').count(), 5, "{line}");
    }
}
