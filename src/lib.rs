//! twn: a static site generator for regional water-chain wikis.
//!
//! Data flows one way: sources → parsed pages → resolved site (links,
//! references) → rendered outputs → disk.

// Diagnostics travel by value on the error path only, where size does not matter.
#![allow(clippy::result_large_err)]

pub mod build;
pub mod config;
pub mod diagnostics;
pub mod frontmatter;
pub mod git_files;
pub mod history;
pub mod live;
pub mod markdown;
pub mod orgchart;
pub mod output;
pub mod page;
pub mod render;
pub mod resolve;
pub mod revision_cache;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod slug;
pub mod source;
pub mod suggest;
pub mod urls;
pub mod yaml;
