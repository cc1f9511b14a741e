//! Inline SVG icons: no icon font, no request. Decorative only; the visible label names the action.

use super::share::Network;

const OPEN: &str =
    r#"<svg class="re-icon" viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false">"#;

pub fn network(n: Network) -> String {
    let body = match n {
        Network::Email => r#"<path class="re-stroke" d="M3.5 6h17v12h-17z M3.5 6.5l8.5 6.5 8.5-6.5"/>"#,
        Network::X => r#"<path class="re-stroke" d="M5 4h3.5l10.5 16h-3.5z M19 4l-6.2 7 M5 20l6.2-7"/>"#,
        Network::Facebook => {
            r#"<path d="M13.5 21v-7h2.6l.4-3h-3V9.2c0-.9.3-1.5 1.6-1.5h1.6V5.1c-.3 0-1.2-.1-2.3-.1-2.3 0-3.9 1.4-3.9 4V11H8v3h2.5v7z"/>"#
        }
        Network::LinkedIn => {
            r#"<path d="M5 9h3v10H5z M6.5 4.6a1.7 1.7 0 1 1 0 3.4 1.7 1.7 0 0 1 0-3.4z M10 9h2.9v1.4c.5-.9 1.6-1.6 3.2-1.6 2.7 0 3.9 1.6 3.9 4.5V19h-3v-5.1c0-1.5-.5-2.4-1.8-2.4-1.4 0-2.2 1-2.2 2.6V19h-3z"/>"#
        }
        Network::Bluesky => {
            r#"<path d="M12 11.2C10.7 8.6 7.3 5.3 5 4.8c-1.6-.3-2.2.6-2 2.3.2 1.9.9 4.3 4.8 4.2-3.4.9-3.6 3.2-1.6 5 2.6 2.3 4.4-.5 5.8-3.3 1.4 2.8 3.2 5.6 5.8 3.3 2-1.8 1.8-4.1-1.6-5 3.9.1 4.6-2.3 4.8-4.2.2-1.7-.4-2.6-2-2.3-2.3.5-5.7 3.8-7 6.4z"/>"#
        }
    };
    format!("{OPEN}{body}</svg>")
}

pub fn copy() -> String {
    format!(
        r#"{OPEN}<path class="re-stroke" d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1.4 1.4 M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1.4-1.4"/></svg>"#
    )
}

pub fn print() -> String {
    format!(r#"{OPEN}<path class="re-stroke" d="M7 9V3.5h10V9 M7 17H4v-8h16v8h-3 M7 13.5h10V21H7z"/></svg>"#)
}

pub fn share() -> String {
    format!(r#"{OPEN}<path class="re-stroke" d="M12 3.5v11 M8 7.5l4-4 4 4 M5 12v8.5h14V12"/></svg>"#)
}

pub fn subscribe() -> String {
    format!(
        r#"{OPEN}<path class="re-stroke" d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 1.5h-15z M10 20.5a2 2 0 0 0 4 0"/></svg>"#
    )
}

pub fn filter() -> String {
    format!(r#"{OPEN}<path class="re-stroke" d="M4 7h10 M18 7h2 M4 17h2 M10 17h10 M14 5v4 M8 15v4"/></svg>"#)
}
