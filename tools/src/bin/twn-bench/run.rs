//! Running a command once and reading what it cost: wall time, and the
//! peak memory (resident set) the kernel recorded for it.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
pub struct Cost {
    pub wall: Duration,
    pub peak_bytes: u64,
}

/// Runs `command` to its end; panics if it fails, since a failed build
/// measures nothing.
pub fn measure(command: &mut Command) -> Cost {
    measure_with_messages(command).0
}

/// [`measure`], and what the command wrote to its error output (where
/// twn writes its summary and warnings).
pub fn measure_with_messages(command: &mut Command) -> (Cost, String) {
    command.stdout(Stdio::null()).stderr(Stdio::piped());
    let started = Instant::now();
    // Reaped by wait4 below, which std's `wait` cannot replace.
    #[allow(clippy::zombie_processes)]
    let child = command.spawn().expect("the command starts");
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to fill in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // std's `wait` would not report the child's resource use.
    // SAFETY: `pid` is our own child, not yet waited for.
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = started.elapsed();
    assert_eq!(waited, pid, "wait4 failed");
    let mut messages = String::new();
    if let Some(mut stderr) = child.stderr {
        let _ = std::io::Read::read_to_string(&mut stderr, &mut messages);
    }
    if !(libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0) {
        panic!("{command:?} failed:\n{messages}");
    }
    let cost = Cost {
        wall,
        // Linux reports kilobytes.
        peak_bytes: usage.ru_maxrss as u64 * 1024,
    };
    (cost, messages)
}

/// The middle value, or the mean of the two middle ones; the costs drift
/// between runs on a shared machine.
pub fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    }
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assert_eq!(median(vec![3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(vec![4.0, 1.0]), 2.5);
        assert_eq!(median(vec![1.0, 9.0, 2.0, 3.0]), 2.5);
    }
}
