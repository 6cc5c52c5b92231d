//! Stop requests while the output is swapped in. That step moves the
//! unchanged old-version folders out of the previous output into the new
//! one: a build stopped halfway (Ctrl-C, a CI job cancelled with SIGTERM)
//! left the previous output without them. While it runs, a stop is only
//! noted, and carried out once the new output is in place or the old one
//! whole again. SIGKILL cannot be held off.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

const STOPS: [i32; 3] = [SIGINT, SIGTERM, SIGHUP];

/// Stop requests held off until [`HeldStops::release`].
pub struct HeldStops {
    /// The last stop that came meanwhile (0: none).
    arrived: Arc<AtomicUsize>,
    /// Once set, a stop acts as the signal's default again: a caught
    /// signal stays caught for the life of the process.
    released: Arc<AtomicBool>,
}

/// Holds stop requests off from now on. Where they cannot be caught, they
/// act as before.
pub fn hold_stops() -> HeldStops {
    let arrived = Arc::new(AtomicUsize::new(0));
    let released = Arc::new(AtomicBool::new(false));
    for signal in STOPS {
        let noted =
            signal_hook::flag::register_usize(signal, Arc::clone(&arrived), signal as usize);
        if noted.is_ok() {
            let _ = signal_hook::flag::register_conditional_default(signal, Arc::clone(&released));
        }
    }
    HeldStops { arrived, released }
}

impl HeldStops {
    /// The stop that came while held, if any.
    pub fn arrived(&self) -> Option<i32> {
        match self.arrived.load(Ordering::SeqCst) {
            0 => None,
            signal => i32::try_from(signal).ok(),
        }
    }

    /// Lets stops through again, and carries out one that came meanwhile
    /// as the signal itself would have: the process ends.
    pub fn release(self) {
        self.released.store(true, Ordering::SeqCst);
        if let Some(signal) = self.arrived() {
            let _ = signal_hook::low_level::emulate_default_handler(signal);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stop_while_held_is_noted_not_carried_out() {
        let held = hold_stops();
        assert_eq!(held.arrived(), None);
        signal_hook::low_level::raise(SIGHUP).unwrap();
        assert_eq!(held.arrived(), Some(SIGHUP), "the process is still here");
        // Not released: that would end the test process.
    }
}
