//! Other file systems mounted at or below a folder twn would replace. A
//! build swaps its output folder by renaming it, which a mount point
//! refuses, and removes the previous output with everything in it, which
//! would reach into a file system mounted inside: a share of media files
//! bind-mounted at `public/media` would be emptied.

use std::path::{Path, PathBuf};

/// The first mount point at or below `folder` (an absolute path with its
/// links resolved), as this process sees them. On Linux, where the list
/// cannot be read, `folder` itself counts as one: nothing is replaced or
/// removed that might hold a mount. Elsewhere none are known.
pub fn mount_at_or_below(folder: &Path) -> Option<PathBuf> {
    match std::fs::read("/proc/self/mountinfo") {
        Ok(mountinfo) => mount_points(&mountinfo).find(|point| point.starts_with(folder)),
        Err(_) if cfg!(target_os = "linux") => Some(folder.to_path_buf()),
        Err(_) => None,
    }
}

/// The mount points that `mountinfo` lists, in its order: the fifth field
/// of each line, with spaces, tabs, newlines and backslashes written as
/// octal escapes (`\040`).
/// Bytes, not text: a mount point's name need not be UTF-8.
fn mount_points(mountinfo: &[u8]) -> impl Iterator<Item = PathBuf> + '_ {
    use std::os::unix::ffi::OsStringExt;
    mountinfo
        .split(|&b| b == b'\n')
        .filter_map(|line| line.split(|&b| b == b' ').nth(4))
        .map(|field| PathBuf::from(std::ffi::OsString::from_vec(unescape(field))))
}

fn unescape(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        let octal = bytes
            .get(at + 1..at + 4)
            .filter(|digits| bytes[at] == b'\\' && digits.iter().all(|d| (b'0'..=b'7').contains(d)))
            .map(|digits| digits.iter().fold(0u32, |n, d| n * 8 + u32::from(d - b'0')));
        match octal.and_then(|n| u8::try_from(n).ok()) {
            Some(byte) => {
                out.push(byte);
                at += 4;
            }
            None => {
                out.push(bytes[at]);
                at += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MOUNTINFO: &[u8] = b"\
22 1 0:21 / / rw,relatime shared:1 - ext4 /dev/vda rw
38 22 0:34 / /media/USB\xff rw - vfat /dev/sdb1 rw
36 22 0:32 / /srv/wiki/public/media\\040en\\040foto's rw - tmpfs none rw
37 22 0:33 /data /srv/wiki/publicatie rw - ext4 /dev/vdb rw
";

    #[test]
    fn mount_points_are_read_with_their_escapes() {
        use std::os::unix::ffi::OsStrExt;
        let points: Vec<PathBuf> = mount_points(MOUNTINFO).collect();
        assert_eq!(
            points,
            [
                PathBuf::from("/"),
                PathBuf::from(std::ffi::OsStr::from_bytes(b"/media/USB\xff")),
                PathBuf::from("/srv/wiki/public/media en foto's"),
                PathBuf::from("/srv/wiki/publicatie"),
            ]
        );
        assert_eq!(unescape(b"a\\134b\\011c\\9"), b"a\\b\tc\\9");
    }

    #[test]
    fn only_whole_folder_names_count_as_below() {
        let below = |folder: &str| {
            mount_points(MOUNTINFO)
                .find(|p| p.starts_with(folder))
                .map(|p| p.display().to_string())
        };
        assert_eq!(
            below("/srv/wiki/public").as_deref(),
            Some("/srv/wiki/public/media en foto's")
        );
        assert_eq!(below("/srv/wiki/publ"), None);
        assert_eq!(
            below("/srv/wiki/publicatie").as_deref(),
            Some("/srv/wiki/publicatie")
        );
    }
}
