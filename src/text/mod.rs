//! HTML and text, below everything that reads feeds or shows them: the HTML tokenizer (WHATWG
//! rules), character references, the allow-list cleaner and the plain text of HTML and Markdown.
//! The readers, the search index, the views and the archive command all use these, so a release
//! reads the same wherever it is shown or searched. Depends on nothing in the crate but `url`.

pub mod clean;
pub mod entities;
mod entity_table;
pub mod escape;
pub mod markdown_text;
mod tokenizer;
