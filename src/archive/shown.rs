//! Cards and bodies as releases of the feed model, so the list, the release view and the search
//! treat an archive with the same code as a feed. One conversion, `Card::release`, in three
//! forms: listed, opened, and as the search index read it. Relative URLs (a feed read from a file
//! keeps them) resolve against the manifest's address, as a feed's resolve against its own.

use super::manifest::{BodyPiece, Card};
use crate::model::{Body, Contact, Date, Image, Link, Release};
use crate::url::{resolve, safe_url};

impl Card {
    /// The release as a list shows it: its summary, or the body's first words when it has none.
    /// `base` is the manifest's address.
    pub fn listed(&self, base: &str) -> Result<Release, String> {
        let release = checked(self.release(None, html)?, base);
        Ok(Release { summary: self.summary.clone().or_else(|| self.excerpt.clone()), ..release })
    }

    /// The release as its own view shows it. The body is the clean HTML rendered at build time;
    /// it goes through the widget's cleaner again like any HTML body (headings to the page's level).
    pub fn opened(&self, body: &BodyPiece, base: &str) -> Result<Release, String> {
        Ok(checked(self.release(Some(body), html)?, base))
    }

    /// The card, with its body piece when there is one, as a release, its addresses as the
    /// build wrote them. `body_of` picks the body's form: the clean HTML for the release view, or
    /// the words the search index read (a generic, so the search's code holds no HTML path).
    pub(crate) fn release(
        &self,
        body: Option<&BodyPiece>,
        body_of: impl Fn(&BodyPiece) -> Option<Body>,
    ) -> Result<Release, String> {
        let date = Date::parse(&self.date).map_err(|e| format!("release {}: {e}", self.id))?;
        let text = body.and_then(body_of);
        Ok(Release {
            id: self.id.clone(),
            title: self.title.clone(),
            date: Some(date),
            url: self.url.clone(),
            base: None,
            summary: self.summary.clone(),
            body: text,
            dateline: body.and_then(|b| b.dateline.clone()),
            agency: self.agency.clone(),
            author: body.and_then(|b| b.author.clone()),
            tags: self.tags.clone(),
            related_links: body
                .map(|b| &b.related_links[..])
                .unwrap_or_default()
                .iter()
                .map(|l| Link { title: l.title.clone(), url: l.url.clone() })
                .collect(),
            contacts: body
                .map(|b| &b.contacts[..])
                .unwrap_or_default()
                .iter()
                .map(|c| Contact { name: c.name.clone(), email: c.email.clone(), phone: c.phone.clone() })
                .collect(),
            image: self.image.as_ref().map(|i| Image { url: i.url.clone(), alt: i.title.clone() }),
        })
    }
}

/// The body as the release view shows it: the clean HTML rendered at build time.
fn html(body: &BodyPiece) -> Option<Body> {
    body.html.clone().map(Body::Html)
}

/// The release's addresses checked again (the archive's host may not be the one that built it)
/// and resolved against the manifest's; one refused is left out, with the image or link it is of.
fn checked(release: Release, base: &str) -> Release {
    let url = |u: &str| safe_url(u).map(|u| resolve(base, &u));
    Release {
        url: release.url.as_deref().and_then(url),
        image: release.image.and_then(|i| Some(Image { url: url(&i.url)?, alt: i.alt })),
        related_links: release
            .related_links
            .into_iter()
            .filter_map(|l| Some(Link { url: url(&l.url)?, title: l.title }))
            .collect(),
        ..release
    }
}
