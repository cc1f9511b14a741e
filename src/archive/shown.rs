//! Cards and bodies as releases of the feed model, so the list, the release view and the search
//! treat an archive with the same code as a feed. One conversion, [`Card::release`], in three
//! forms: listed, opened, and as the search index read it. Relative URLs (a feed read from a file
//! keeps them) resolve against the manifest's address, as a feed's resolve against its own.

use super::manifest::{BodyPiece, Card};
use crate::model::{Body, Contact, Date, Image, Link, Release};
use crate::url::{resolve, safe_url};

/// Which body a release made from a card carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyForm {
    /// The clean HTML rendered at build time, for the release view.
    Html,
    /// The words as the search index read them, for phrase checks.
    Text,
}

impl Card {
    /// The release as a list shows it: its summary, or the body's first words when it has none.
    /// `base` is the manifest's address.
    pub fn listed(&self, base: &str) -> Result<Release, String> {
        let release = self.release(None, BodyForm::Html, &|u| checked(base, u))?;
        Ok(Release { summary: self.summary.clone().or_else(|| self.excerpt.clone()), ..release })
    }

    /// The release as its own view shows it. The body is the clean HTML rendered at build time;
    /// it goes through the widget's cleaner again like any HTML body (headings to the page's level).
    pub fn opened(&self, body: &BodyPiece, base: &str) -> Result<Release, String> {
        self.release(Some(body), BodyForm::Html, &|u| checked(base, u))
    }

    /// The card, with its body piece when there is one, as a release. `url` checks and resolves
    /// each address; one it refuses is left out (and with it the image or link it belongs to).
    pub(crate) fn release(
        &self,
        body: Option<&BodyPiece>,
        form: BodyForm,
        url: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Release, String> {
        let date = Date::parse(&self.date).map_err(|e| format!("release {}: {e}", self.id))?;
        let text = body.and_then(|b| match form {
            BodyForm::Html => b.html.clone().map(Body::Html),
            BodyForm::Text => b.text.clone().map(Body::Text),
        });
        Ok(Release {
            id: self.id.clone(),
            title: self.title.clone(),
            date,
            url: self.url.as_deref().and_then(url),
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
                .filter_map(|l| Some(Link { title: l.title.clone(), url: url(&l.url)? }))
                .collect(),
            contacts: body
                .map(|b| &b.contacts[..])
                .unwrap_or_default()
                .iter()
                .map(|c| Contact { name: c.name.clone(), email: c.email.clone(), phone: c.phone.clone() })
                .collect(),
            image: self.image.as_ref().and_then(|i| Some(Image { url: url(&i.url)?, alt: i.title.clone() })),
        })
    }
}

/// An address checked again (the archive's host may not be the one that built it), resolved
/// against the manifest's.
fn checked(base: &str, url: &str) -> Option<String> {
    safe_url(url).map(|u| resolve(base, &u))
}
