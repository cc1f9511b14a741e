//! The "Share this" links: plain URLs, so no third-party script or request runs before a reader
//! clicks, and each is spelled with `encodeURIComponent` rules.

use crate::url::encode_component as enc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Network {
    Email,
    X,
    Facebook,
    LinkedIn,
    Bluesky,
}

impl Network {
    pub const ALL: [Network; 5] = [Network::Email, Network::X, Network::Facebook, Network::LinkedIn, Network::Bluesky];

    /// Stable name used in class names and events.
    pub fn id(self) -> &'static str {
        match self {
            Network::Email => "email",
            Network::X => "x",
            Network::Facebook => "facebook",
            Network::LinkedIn => "linkedin",
            Network::Bluesky => "bluesky",
        }
    }

    /// The service's own name (not translated); Email's label comes from the catalogue.
    pub fn brand(self) -> &'static str {
        match self {
            Network::Email => "Email",
            Network::X => "X",
            Network::Facebook => "Facebook",
            Network::LinkedIn => "LinkedIn",
            Network::Bluesky => "Bluesky",
        }
    }

    /// The address that shares `url` with `title` on this network.
    pub fn href(self, title: &str, url: &str) -> String {
        match self {
            Network::Email => format!("mailto:?subject={}&body={}", enc(title), enc(&format!("{title}\n\n{url}"))),
            Network::X => format!("https://x.com/intent/tweet?text={}&url={}", enc(title), enc(url)),
            Network::Facebook => {
                format!("https://www.facebook.com/sharer/sharer.php?u={}", enc(url))
            }
            Network::LinkedIn => format!("https://www.linkedin.com/sharing/share-offsite/?url={}", enc(url)),
            Network::Bluesky => format!("https://bsky.app/intent/compose?text={}", enc(&format!("{title} {url}"))),
        }
    }

    /// Email opens the reader's own mail program; the others open a new tab on another site.
    pub fn is_external(self) -> bool {
        self != Network::Email
    }
}

#[cfg(test)]
mod tests {
    use super::Network;

    const TITLE: &str = "AG Demands End to \"Cruel\" Tactics & More?";
    const URL: &str = "https://ag.example.gov/news/a?id=1&x=y";

    #[test]
    fn each_network_gets_an_encoded_link() {
        let want = [
            "mailto:?subject=AG%20Demands%20End%20to%20%22Cruel%22%20Tactics%20%26%20More%3F&body=AG%20Demands%20End%20to%20%22Cruel%22%20Tactics%20%26%20More%3F%0A%0Ahttps%3A%2F%2Fag.example.gov%2Fnews%2Fa%3Fid%3D1%26x%3Dy",
            "https://x.com/intent/tweet?text=AG%20Demands%20End%20to%20%22Cruel%22%20Tactics%20%26%20More%3F&url=https%3A%2F%2Fag.example.gov%2Fnews%2Fa%3Fid%3D1%26x%3Dy",
            "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fag.example.gov%2Fnews%2Fa%3Fid%3D1%26x%3Dy",
            "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fag.example.gov%2Fnews%2Fa%3Fid%3D1%26x%3Dy",
            "https://bsky.app/intent/compose?text=AG%20Demands%20End%20to%20%22Cruel%22%20Tactics%20%26%20More%3F%20https%3A%2F%2Fag.example.gov%2Fnews%2Fa%3Fid%3D1%26x%3Dy",
        ];
        for (network, want) in Network::ALL.iter().zip(want) {
            assert_eq!(network.href(TITLE, URL), want, "{network:?}");
        }
    }
}
