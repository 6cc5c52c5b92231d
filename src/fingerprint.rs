//! Fingerprints: one hash of the parts that decide something, so that a
//! cache entry or a rendered page is used again only when every part is
//! the same.

/// Builds a cache key from the parts that decide an entry's contents.
pub struct KeyBuilder(gix::hash::Hasher);

impl KeyBuilder {
    pub fn new(kind: &str) -> Self {
        let mut key = KeyBuilder::of_parts_only(kind);
        key.add(program_identity());
        key
    }

    /// A fingerprint of the parts alone, the same for every build of twn
    /// and on every machine: for what readers' browsers see.
    pub fn of_parts_only(kind: &str) -> Self {
        let mut key = KeyBuilder(gix::hash::hasher(gix::hash::Kind::Sha1));
        key.add(kind);
        key
    }

    /// Adds one part; parts are separated so that ("ab","c") ≠ ("a","bc").
    pub fn add(&mut self, part: &str) -> &mut Self {
        self.add_bytes(part.as_bytes())
    }

    /// Adds one part that need not be text, such as a file's bytes.
    pub fn add_bytes(&mut self, part: &[u8]) -> &mut Self {
        self.0.update(&(part.len() as u64).to_le_bytes());
        self.0.update(part);
        self
    }

    pub fn finish(self) -> String {
        self.0
            .try_finalize()
            .map(|id| id.to_hex().to_string())
            .unwrap_or_default()
    }
}

/// This build of twn: a new twn may render differently, even within one
/// version number, so the program file's size and date are part of every key.
fn program_identity() -> &'static str {
    static IDENTITY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    IDENTITY.get_or_init(|| {
        let program = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let modified = m
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos());
                format!("{}-{modified}", m.len())
            })
            .unwrap_or_default();
        format!("{} {program}", env!("CARGO_PKG_VERSION"))
    })
}
