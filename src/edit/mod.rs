//! Editing pages in the browser, for editors who know neither git nor
//! YAML: the form made from a collection's schema, the page file it
//! writes, where a problem of that file belongs in the form, and the
//! commit that records a save.

pub mod attachment;
pub mod commit;
pub mod draft;
pub mod form;
pub mod locate;
pub mod page_file;
