//! The frame every page shares: head, navigation, main, footer.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use maud::{html, Markup, DOCTYPE};

use super::assets;

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
    /// The contents of `<main>`.
    pub body: Markup,
    /// Scripts to load after the body (paths under `/assets/`). Only files: the
    /// pages' Content-Security-Policy runs no inline script.
    pub scripts: Vec<&'static str>,
}

impl Page {
    /// A page titled `title` whose `<main>` holds `body`.
    pub fn new(title: impl Into<String>, nav: Option<&'static str>, body: Markup) -> Page {
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
    pub fn render(&self) -> Markup {
        html! {
            (DOCTYPE)
            html lang="en" {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (self.title) " · backissue" }
                    link rel="icon" href="data:,";
                    link rel="stylesheet" href=(assets::versioned("/assets/style.css"));
                }
                body {
                    a class="skip" href="#main" { "Skip to content" }
                    header class="site" {
                        nav aria-label="Main" {
                            a class="brand" href="/" { "backissue" }
                            ul {
                                @for (path, label) in NAV {
                                    li {
                                        a href=(path) aria-current=[(self.nav == Some(path)).then_some("page")] {
                                            (label)
                                        }
                                    }
                                }
                            }
                        }
                    }
                    // The body on lines of its own, for whoever reads the page's source.
                    main id="main" { "\n" (self.body) "\n" }
                    footer class="site" {
                        p {
                            "Back issues of a weekly AI-industry newsletter. "
                            a href="/api/openapi.json" { "API" }
                        }
                    }
                    @for script in &self.scripts {
                        script src=(assets::versioned(script)) defer {}
                    }
                }
            }
        }
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        Html(self.render().into_string()).into_response()
    }
}

/// A page with a status other than 200: not found, a bad parameter, a failure.
pub fn error_page(status: StatusCode, title: &str, message: &str) -> Response {
    let body = html! {
        h1 { (title) }
        p class="notice" { (message) }
        p { a href="/" { "Search the archive" } }
    };
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
        let body = html! { p { "hi" } };
        let html = Page::new("<script>x</script>", Some("/trends"), body)
            .render()
            .into_string();
        assert!(html.contains("<title>&lt;script&gt;x&lt;/script&gt; · backissue</title>"));
        assert!(html.contains("<a href=\"/trends\" aria-current=\"page\">Trends</a>"));
        assert!(html.contains("<main id=\"main\">\n<p>hi</p>"));
        assert!(html.contains("/assets/style.css?v="));
        assert!(!html.contains("<script"));
    }

    #[tokio::test]
    async fn an_error_page_shows_its_message_as_text() {
        let response = error_page(
            StatusCode::NOT_FOUND,
            "No such story",
            "No story has the id <script>alert(1)</script>.",
        );
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(response.headers()[header::CACHE_CONTROL], "no-store");
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let html = String::from_utf8(body.to_vec()).unwrap();
        assert!(
            html.contains("<p class=\"notice\">No story has the id &lt;script&gt;alert(1)&lt;/script&gt;.</p>"),
            "{html}"
        );
        assert!(!html.contains("<script"));
    }
}
