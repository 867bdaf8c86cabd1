//! Shared web infrastructure: templates, the page context, language and static assets.

pub(crate) mod assets;
pub(crate) mod lang;
pub(crate) mod page;
pub(crate) mod templates;
