//! twn: a static site generator for regional water-chain wikis.
//!
//! Data flows one way: sources → parsed pages → resolved site (links,
//! references) → rendered outputs → disk.

// Diagnostics travel by value on the error path only, where size does not matter.
#![allow(clippy::result_large_err)]

pub mod artifact;
pub mod build;
pub mod compress;
pub mod config;
pub mod diagnostics;
pub mod drawing;
pub mod edit;
pub mod fields;
pub mod files;
pub mod fingerprint;
pub mod folders;
pub mod frontmatter;
pub mod git_files;
pub mod history;
pub mod ids;
pub mod live;
pub mod markdown;
pub mod orgchart;
pub mod output;
pub mod own_process;
pub mod page;
pub mod pipeline;
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
#[cfg(test)]
pub(crate) mod test_turns;
pub mod text;
pub mod urls;
pub mod yaml;
