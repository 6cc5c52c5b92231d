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
pub mod text;
pub mod urls;
pub mod yaml;

/// Tests that start a process, and tests that free a lock and count on it
/// being free at once, take turns. A lock taken with `flock` belongs to
/// an open file, and a child holds a copy of every open file from its
/// fork to its exec, close-on-exec or not: a test's freed lock can still
/// be held for a moment by another test's `git`.
#[cfg(test)]
pub(crate) mod test_turns {
    use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

    static TURNS: RwLock<()> = RwLock::new(());

    /// Held by a test while it starts processes; many may hold it.
    pub fn starting_processes() -> RwLockReadGuard<'static, ()> {
        TURNS.read().unwrap_or_else(|e| e.into_inner())
    }

    /// Held by a test that frees a lock and takes it again.
    pub fn freeing_locks() -> RwLockWriteGuard<'static, ()> {
        TURNS.write().unwrap_or_else(|e| e.into_inner())
    }
}
