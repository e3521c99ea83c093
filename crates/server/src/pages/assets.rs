//! The static files, compiled into the binary: no build step, nothing on disk to
//! lose, nothing fetched from elsewhere.
//!
//! Pages link the stylesheet and scripts as `/assets/NAME?v=HASH`, the hash of the
//! file's content, so they can be cached for a year and still change with the
//! binary. The widget's URL is pasted into publishers' pages and cannot carry a
//! hash, so it is cached for an hour only.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// The stylesheet of every page.
pub const STYLE_CSS: &str = include_str!("../../assets/style.css");
/// The search page's enhancement: results as you type.
pub const SEARCH_JS: &str = include_str!("../../assets/search.js");
/// The related-stories widget publishers embed with a `<script>` tag.
pub const WIDGET_JS: &str = include_str!("../../assets/widget.js");

/// Cache policy of the hashed assets: a year, never revalidated.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Cache policy of the widget, whose URL never changes.
const WIDGET_CACHE: &str = "public, max-age=3600";

/// An asset: its name under `/assets/`, content type and content.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    content: &'static str,
}

const ASSETS: [Asset; 2] = [
    Asset {
        name: "style.css",
        content_type: "text/css; charset=utf-8",
        content: STYLE_CSS,
    },
    Asset {
        name: "search.js",
        content_type: "text/javascript; charset=utf-8",
        content: SEARCH_JS,
    },
];

/// `GET /assets/{name}`.
pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => text_response(asset.content_type, IMMUTABLE, asset.content),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

/// `GET /widget.js`.
pub async fn widget() -> Response {
    text_response("text/javascript; charset=utf-8", WIDGET_CACHE, WIDGET_JS)
}

fn text_response(content_type: &'static str, cache: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (header::CACHE_CONTROL, HeaderValue::from_static(cache)),
            (
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ),
        ],
        body,
    )
        .into_response()
}

/// `path` (`/assets/style.css`) with `?v=` and its content's hash, for links.
pub fn versioned(path: &str) -> String {
    static HASHES: OnceLock<Vec<(&'static str, String)>> = OnceLock::new();
    let hashes = HASHES.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| (a.name, format!("{:08x}", fnv1a(a.content) as u32)))
            .collect()
    });
    let name = path.rsplit('/').next().unwrap_or(path);
    match hashes.iter().find(|(n, _)| *n == name) {
        Some((_, hash)) => format!("{path}?v={hash}"),
        None => path.to_string(),
    }
}

/// FNV-1a: enough to tell one build's file from another's, with no dependency.
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_links_carry_a_content_hash() {
        let link = versioned("/assets/style.css");
        assert!(link.starts_with("/assets/style.css?v="), "{link}");
        assert_eq!(link.len(), "/assets/style.css?v=".len() + 8);
        assert_eq!(versioned("/assets/none.css"), "/assets/none.css");
    }

    #[test]
    fn the_widget_stays_small_and_never_writes_html_from_data() {
        assert!(WIDGET_JS.len() < 5 * 1024, "{} bytes", WIDGET_JS.len());
        assert!(!WIDGET_JS.contains("innerHTML"));
        assert!(!SEARCH_JS.contains("innerHTML"));
    }
}
