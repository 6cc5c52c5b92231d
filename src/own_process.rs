//! What the system says about this process (Linux lists it in
//! `/proc/self/status`), for choices that depend on how twn was started.

/// The number on the line `field:` of `/proc/self/status`, read in
/// `radix`; `None` where the system does not list it.
pub fn status_number(field: &str, radix: u32) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|number| u64::from_str_radix(number.trim(), radix).ok())
}
