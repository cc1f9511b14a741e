//! The crate's one error type. It stays a Rust value everywhere and becomes a JS `Error` only at
//! the wasm boundary (`exports.rs`).

use std::fmt;

use crate::i18n::Labels;

#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The request never got an answer: offline, DNS, CORS refused, connection reset.
    Network { url: String, detail: String },
    /// The server answered, but not with 2xx.
    Http { url: String, status: u16, status_text: String },
    /// No complete answer within the configured time.
    Timeout { url: String, seconds: f64 },
    /// The response is longer than the `max-bytes` limit and nothing could be read from the
    /// part that was.
    TooLarge { url: String, limit: usize },
    /// The body is not JSON (or is truncated JSON).
    NotJson { detail: String },
    /// The body is not well-formed XML (an RSS or Atom feed that breaks before its first item).
    NotXml { detail: String },
    /// The XML declaration names a character encoding the widget does not read.
    UnknownEncoding { name: String },
    /// Valid JSON or XML that is not a release feed we understand.
    NotAFeed { detail: String },
    /// A piece of an archive (see `release-embed archive`) is missing, damaged or does not fit
    /// the manifest: the feed is fine, the archive's files are not.
    Archive { detail: String },
    /// The `release` attribute (or the page URL) names a release the feed does not have.
    UnknownRelease { id: String },
    /// The widget was configured with something it cannot use.
    InvalidOption { name: &'static str, detail: String },
    /// A browser API failed where it should not have (reported with the JS message).
    Browser { detail: String },
    /// A part of the widget's own code, fetched when first needed, did not arrive or failed its
    /// integrity check (the console has the browser's reason).
    Chunk,
}

impl Error {
    /// The short sentence shown to readers inside the widget. Details go to the console.
    pub fn reader_message(&self) -> String {
        self.reader_message_in(&crate::i18n::EN)
    }

    /// The same sentence in the widget's language. Parser details (why a document is not a
    /// feed) stay in English: they are for the feed's authors as much as for readers.
    pub fn reader_message_in(&self, l: &Labels) -> String {
        let fail = |why: &str| format!("{}: {why}", l.could_not_load);
        match self {
            Error::Network { .. } => fail(l.network_failed),
            Error::Http { status, status_text, .. } => {
                let status =
                    if status_text.is_empty() { status.to_string() } else { format!("{status} {status_text}") };
                fail(&l.server_answered.replace("{status}", &status))
            }
            Error::Timeout { seconds, .. } => {
                let unit = if *seconds == 1.0 { l.second } else { l.seconds };
                fail(&l.no_answer_within.replace("{n}", &seconds_text(*seconds)).replace("{unit}", unit))
            }
            Error::TooLarge { limit, .. } => fail(&l.too_large.replace("{size}", &bytes_text(*limit))),
            Error::NotJson { .. } => fail(l.not_json),
            Error::NotXml { .. } => fail(l.not_xml),
            Error::UnknownEncoding { name } => fail(&l.unknown_encoding.replace("{name}", name)),
            Error::NotAFeed { detail } | Error::InvalidOption { detail, .. } => fail(&format!("{detail}.")),
            Error::Archive { .. } => fail(l.archive_damaged),
            Error::UnknownRelease { id } => l.unknown_release.replace("{id}", id),
            Error::Browser { .. } => fail(l.browser_refused),
            Error::Chunk => fail(l.code_failed),
        }
    }
}

impl fmt::Display for Error {
    /// The full account, for developers (the console, a thrown JS `Error`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Network { url, detail } => write!(f, "fetching {url} failed: {detail}"),
            Error::Http { url, status, status_text } => {
                write!(f, "fetching {url} failed: HTTP {status} {status_text}")
            }
            Error::Timeout { url, seconds } => {
                write!(f, "fetching {url} timed out after {} s", seconds_text(*seconds))
            }
            Error::TooLarge { url, limit } => {
                write!(f, "{url} is larger than max-bytes ({limit} bytes); nothing could be read from its first {limit} bytes")
            }
            Error::NotJson { detail } => write!(f, "the feed is not valid JSON: {detail}"),
            Error::NotXml { detail } => write!(f, "the feed is not well-formed XML: {detail}"),
            Error::UnknownEncoding { name } => write!(
                f,
                "the feed declares the character encoding \u{201c}{name}\u{201d}; UTF-8, UTF-16, ISO-8859-1 and windows-1252 are read"
            ),
            Error::NotAFeed { detail } => write!(f, "the document is not a release feed: {detail}"),
            Error::Archive { detail } => write!(f, "the archive is damaged or incomplete: {detail}"),
            Error::UnknownRelease { id } => {
                write!(f, "no release with id \u{201c}{id}\u{201d} in the feed")
            }
            Error::InvalidOption { name, detail } => write!(f, "option {name}: {detail}"),
            Error::Browser { detail } => write!(f, "browser error: {detail}"),
            Error::Chunk => write!(f, "a part of the widget's code could not be fetched or failed its integrity check"),
        }
    }
}

impl std::error::Error for Error {}

/// "10", "2.5": seconds without pulling float formatting (several kB of wasm) into the build.
pub fn seconds_text(seconds: f64) -> String {
    let ms = (seconds * 1000.0).round() as u64;
    match ms % 1000 {
        0 => (ms / 1000).to_string(),
        frac => format!("{}.{}", ms / 1000, format!("{frac:03}").trim_end_matches('0')),
    }
}

/// "100 MB", "250 kB", "900 bytes": a size as a reader would write it (decimal units, whole
/// numbers: no float formatting in the wasm).
pub fn bytes_text(bytes: usize) -> String {
    let (unit, name) = match bytes {
        n if n >= 1_000_000 => (1_000_000, "MB"),
        n if n >= 1_000 => (1_000, "kB"),
        n => return format!("{n} bytes"),
    };
    match bytes % unit / (unit / 10) {
        0 => format!("{} {name}", bytes / unit),
        tenth => format!("{}.{tenth} {name}", bytes / unit),
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chunk_that_did_not_arrive_says_so_in_each_language() {
        assert_eq!(
            Error::Chunk.reader_message(),
            "Releases could not be loaded: part of this page's news widget could not be downloaded. Check your connection and try again."
        );
        assert!(Error::Chunk.reader_message_in(&crate::i18n::ES).contains("no se pudo descargar"));
        assert!(Error::Chunk.to_string().contains("integrity"));
    }

    #[test]
    fn archive_faults_have_their_own_message_in_each_language() {
        let e = Error::Archive { detail: "piece https://x.example/p/ab12.bin: damaged piece".into() };
        assert_eq!(
            e.reader_message(),
            "Releases could not be loaded: part of the release archive is missing or damaged. Try again later."
        );
        assert_eq!(
            e.reader_message_in(&crate::i18n::ES),
            format!(
                "{}: falta una parte del archivo de comunicados o est\u{e1} da\u{f1}ada. Int\u{e9}ntelo de nuevo m\u{e1}s tarde.",
                crate::i18n::ES.could_not_load
            )
        );
        assert_eq!(
            e.to_string(),
            "the archive is damaged or incomplete: piece https://x.example/p/ab12.bin: damaged piece"
        );
        assert!(!e.reader_message().contains("not a release feed"));
    }

    #[test]
    fn reader_messages_are_short_sentences() {
        let timeout = Error::Timeout { url: "https://x.example/f.json".into(), seconds: 2.5 };
        assert_eq!(
            timeout.reader_message(),
            "Releases could not be loaded: the server did not answer within 2.5 seconds."
        );
        let http = Error::Http { url: "/f.json".into(), status: 404, status_text: "Not Found".into() };
        assert_eq!(http.reader_message(), "Releases could not be loaded: the server answered 404 Not Found.");
        assert_eq!(http.to_string(), "fetching /f.json failed: HTTP 404 Not Found");
        assert_eq!(seconds_text(10.0), "10");
        assert_eq!(seconds_text(0.25), "0.25");
        assert_eq!(
            (bytes_text(100_000_000), bytes_text(2_500_000), bytes_text(1_599), bytes_text(40)),
            ("100 MB".into(), "2.5 MB".into(), "1.5 kB".into(), "40 bytes".into())
        );
        let large = Error::TooLarge { url: "/f.json".into(), limit: 2_000_000 };
        assert_eq!(
            large.reader_message(),
            "Releases could not be loaded: the feed is larger than 2 MB, the most this page reads."
        );
    }
}
