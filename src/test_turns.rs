//! Tests that start a process, and tests that free a lock and count on it
//! being free at once, take turns. A lock taken with `flock` belongs to
//! an open file, and a child holds a copy of every open file from its
//! fork to its exec, close-on-exec or not: a test's freed lock can still
//! be held for a moment by another test's `git`.

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
