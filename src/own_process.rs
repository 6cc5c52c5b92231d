//! What the system says about this process (Linux lists it in
//! `/proc/self/status`), for choices that depend on how twn was started.

/// The text after `field:` on its line of `/proc/self/status`; `None`
/// where the system does not list it.
fn status_field(field: &str) -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .map(str::to_owned)
}

/// The number on the line `field:`, read in `radix`.
pub fn status_number(field: &str, radix: u32) -> Option<u64> {
    u64::from_str_radix(status_field(field)?.trim(), radix).ok()
}

/// The user this process acts as (the second number on the `Uid:` line).
pub fn effective_user() -> Option<u64> {
    status_field("Uid")?.split_whitespace().nth(1)?.parse().ok()
}
