//! Stop requests while the output is swapped in. On Linux the swap is one
//! exchange of two folders and nothing can stop it halfway; elsewhere it
//! is two renames, and a build stopped between them (Ctrl-C, a CI job
//! cancelled with SIGTERM) would leave no output folder. While the swap
//! runs, a stop is only noted, and carried out once the swap is done or
//! has failed. SIGKILL cannot be held off.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

const STOPS: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];

/// The hooks, put in once per process: hooks stay as long as the process,
/// and a second set would run after the first, whose default action ends
/// the process.
struct Hooks {
    /// The last stop that came while held (0: none).
    arrived: Arc<AtomicUsize>,
    /// While unset, stops are only noted; set, a stop acts as the
    /// signal's default.
    acting: Arc<AtomicBool>,
}

static HOOKS: OnceLock<Hooks> = OnceLock::new();

fn hooks() -> &'static Hooks {
    HOOKS.get_or_init(|| {
        let hooks = Hooks {
            arrived: Arc::new(AtomicUsize::new(0)),
            acting: Arc::new(AtomicBool::new(true)),
        };
        let ignored = ignored_signals();
        // A signal the process ignores (`nohup`, a script's background
        // job) stays ignored: it is not caught at all.
        for signal in STOPS.into_iter().filter(|s| !ignored.contains(s)) {
            let noted = signal_hook::flag::register_usize(
                signal,
                Arc::clone(&hooks.arrived),
                signal as usize,
            );
            if noted.is_ok() {
                let _ = signal_hook::flag::register_conditional_default(
                    signal,
                    Arc::clone(&hooks.acting),
                );
            }
        }
        hooks
    })
}

/// The stop signals this process ignores, as Linux lists them in
/// `/proc/self/status` (`SigIgn`, a mask with bit n − 1 for signal n).
/// Elsewhere none are known to be ignored.
fn ignored_signals() -> Vec<i32> {
    let mask = crate::own_process::status_number("SigIgn", 16).unwrap_or(0);
    STOPS
        .into_iter()
        .filter(|&signal| mask & (1 << (signal - 1)) != 0)
        .collect()
}

/// Stop requests held off until [`HeldStops::release`], or until dropped
/// (a panic): then they act again, and one that came meanwhile is lost.
pub struct HeldStops {
    hooks: &'static Hooks,
}

/// Holds stop requests off from now on. Where they cannot be caught, they
/// act as before.
pub fn hold_stops() -> HeldStops {
    let hooks = hooks();
    hooks.arrived.store(0, Ordering::SeqCst);
    hooks.acting.store(false, Ordering::SeqCst);
    HeldStops { hooks }
}

impl HeldStops {
    /// The stop that came while held, if any.
    pub fn arrived(&self) -> Option<i32> {
        match self.hooks.arrived.load(Ordering::SeqCst) {
            0 => None,
            signal => i32::try_from(signal).ok(),
        }
    }

    /// Lets stops through again, and carries out one that came meanwhile
    /// as the signal itself would have: the process ends.
    pub fn release(self) {
        let arrived = self.arrived();
        drop(self);
        if let Some(signal) = arrived {
            let _ = signal_hook::low_level::emulate_default_handler(signal);
        }
    }
}

impl Drop for HeldStops {
    fn drop(&mut self) {
        self.hooks.acting.store(true, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_while_held_is_noted_not_carried_out() {
        for _ in 0..2 {
            let held = hold_stops();
            assert_eq!(held.arrived(), None);
            signal_hook::low_level::raise(SIGHUP).unwrap();
            assert_eq!(held.arrived(), Some(SIGHUP), "the process is still here");
            // Dropped, not released: releasing would end the test process.
        }
    }

    #[test]
    fn ignored_signals_are_read_from_the_system() {
        // This process ignores none of them unless started so; the mask is
        // read without error either way.
        assert!(ignored_signals().iter().all(|s| STOPS.contains(s)));
    }
}
