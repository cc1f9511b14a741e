//! Cards and bodies as the widget shows them: releases of the feed model, so the list and the
//! release view render an archive with the same code as a feed. Relative URLs (a feed read from
//! a file keeps them) resolve against the manifest's address, as a feed's resolve against its own.

use super::manifest::{BodyPiece, Card};
use crate::model::{Body, Contact, Date, Image, Link, Release};
use crate::url::{resolve, safe_url};

impl Card {
    /// The release as a list shows it: its summary, or the body's first words when it has none.
    /// `base` is the manifest's address.
    pub fn listed(&self, base: &str) -> Result<Release, String> {
        let url = |u: &str| safe_url(u).map(|u| resolve(base, &u));
        let date = Some(Date::parse(&self.date).map_err(|e| format!("release {}: {e}", self.id))?);
        Ok(Release {
            id: self.id.clone(),
            title: self.title.clone(),
            date,
            // Checked again: the archive's host may not be the one that built it.
            url: self.url.as_deref().and_then(url),
            base: None,
            summary: self.summary.clone().or_else(|| self.excerpt.clone()),
            body: None,
            dateline: None,
            agency: self.agency.clone(),
            author: None,
            tags: self.tags.clone(),
            related_links: Vec::new(),
            contacts: Vec::new(),
            image: self.image.as_ref().and_then(|i| Some(Image { url: url(&i.url)?, alt: i.title.clone() })),
        })
    }

    /// The release as its own view shows it. The body is the clean HTML rendered at build time;
    /// it goes through the widget's cleaner again like any HTML body (headings to the page's level).
    pub fn opened(&self, body: &BodyPiece, base: &str) -> Result<Release, String> {
        let url = |u: &str| safe_url(u).map(|u| resolve(base, &u));
        Ok(Release {
            summary: self.summary.clone(),
            body: body.html.clone().map(Body::Html),
            dateline: body.dateline.clone(),
            author: body.author.clone(),
            related_links: body
                .related_links
                .iter()
                .filter_map(|l| Some(Link { title: l.title.clone(), url: url(&l.url)? }))
                .collect(),
            contacts: body
                .contacts
                .iter()
                .map(|c| Contact { name: c.name.clone(), email: c.email.clone(), phone: c.phone.clone() })
                .collect(),
            ..self.listed(base)?
        })
    }
}
