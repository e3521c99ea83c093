//! The frame every page shares: head, navigation, main, footer.

use std::fmt::Write as _;

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use super::assets;
use super::html::escape;

/// The navigation's entries: path and label.
const NAV: [(&str, &str); 5] = [
    ("/", "Search"),
    ("/issues", "Issues"),
    ("/resources", "Resources"),
    ("/paths", "Learning paths"),
    ("/trends", "Trends"),
];

/// A whole page.
#[derive(Debug, Clone)]
pub struct Page {
    /// The `<title>`, plain text (the site's name is appended).
    pub title: String,
    /// Which navigation entry is current (its path), if any.
    pub nav: Option<&'static str>,
    /// The contents of `<main>`, already HTML.
    pub body: String,
    /// Scripts to load after the body (paths under `/assets/`).
    pub scripts: Vec<&'static str>,
}

impl Page {
    /// A page titled `title` whose `<main>` holds `body`.
    pub fn new(title: impl Into<String>, nav: Option<&'static str>, body: String) -> Page {
        Page {
            title: title.into(),
            nav,
            body,
            scripts: Vec::new(),
        }
    }

    /// The same page, loading `script` (an asset path) too.
    pub fn with_script(mut self, script: &'static str) -> Page {
        self.scripts.push(script);
        self
    }

    /// The page as an HTML document.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.body.len() + 2048);
        let _ = write!(
            out,
            "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <title>{} · backissue</title>\n\
             <link rel=\"icon\" href=\"data:,\">\n\
             <link rel=\"stylesheet\" href=\"{}\">\n</head>\n<body>\n\
             <a class=\"skip\" href=\"#main\">Skip to content</a>\n\
             <header class=\"site\"><nav aria-label=\"Main\"><a class=\"brand\" href=\"/\">backissue</a><ul>",
            escape(&self.title),
            assets::versioned("/assets/style.css"),
        );
        for (path, label) in NAV {
            let current = if self.nav == Some(path) {
                " aria-current=\"page\""
            } else {
                ""
            };
            let _ = write!(out, "<li><a href=\"{path}\"{current}>{label}</a></li>");
        }
        out.push_str("</ul></nav></header>\n<main id=\"main\">\n");
        out.push_str(&self.body);
        out.push_str(
            "\n</main>\n<footer class=\"site\"><p>Back issues of a weekly AI-industry newsletter. \
             <a href=\"/api/openapi.json\">API</a></p></footer>\n",
        );
        for script in &self.scripts {
            let _ = writeln!(
                out,
                "<script src=\"{}\" defer></script>",
                assets::versioned(script)
            );
        }
        out.push_str("</body>\n</html>\n");
        out
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        Html(self.render()).into_response()
    }
}

/// A page with a status other than 200: not found, a bad parameter, a failure.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = format!(
        "<h1>{}</h1>\n<p class=\"notice\">{}</p>\n<p><a href=\"/\">Search the archive</a></p>",
        escape(title),
        escape(message)
    );
    let mut response = Page::new(title, None, body).into_response();
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frame_escapes_the_title_and_marks_the_current_entry() {
        let html = Page::new("<script>x</script>", Some("/trends"), "<p>hi</p>".into()).render();
        assert!(html.contains("<title>&lt;script&gt;x&lt;/script&gt; · backissue</title>"));
        assert!(html.contains("<a href=\"/trends\" aria-current=\"page\">Trends</a>"));
        assert!(html.contains("<main id=\"main\">\n<p>hi</p>"));
        assert!(html.contains("/assets/style.css?v="));
        assert!(!html.contains("<script"));
    }
}
