//! Builds stopped from outside, and outputs changed by hand: whatever
//! happens to a build or to `public/` between builds, `public/` is always
//! one build's output, whole.

mod common;
use common::TestSite;
use std::collections::BTreeMap;

/// Every file of an output, by path, with its bytes.
type Output = BTreeMap<String, Vec<u8>>;

/// A site of 40 pages with six versions each, built with the title "A",
/// with a function that sets another title (which changes every old
/// version), and its output.
fn built_with_history() -> (TestSite, impl Fn(&TestSite, &str), Output) {
    let site = TestSite::new();
    site.git_init();
    for version in 1..=6 {
        for page in 1..=40 {
            site.write(
                &format!("content/p{page}.md"),
                &format!("---\ntitle: Pagina {page}\n---\n\nVersie {version}.\n"),
            );
        }
        site.commit_all(
            &format!("Versie {version}"),
            ("Anna", "anna@example.org"),
            &format!("2020-0{version}-01T10:00:00+01:00"),
        );
    }
    let config = site.read("twn.yaml");
    let titled = move |site: &TestSite, title: &str| {
        site.write(
            "twn.yaml",
            &config.replace("title: Testwiki", &format!("title: {title}")),
        )
    };
    titled(&site, "A");
    site.build_ok();
    let output = site.public_snapshot();
    (site, titled, output)
}

/// `twn build` on `site`, running: what it prints goes to its stderr.
fn start_build(site: &TestSite) -> std::process::Child {
    std::process::Command::new(assert_cmd::cargo::cargo_bin("twn"))
        .arg("build")
        .current_dir(site.dir.path())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// Stops sent at moments spread over a whole build, so that some fall in
/// the swap: Ctrl-C and SIGTERM wait for it, SIGKILL cannot be held off.
/// The old versions were once moved out of the previous output into the
/// new one, and a build stopped then left `public/` without them. After
/// each stop, `public/` must be the old output or the new one, byte for
/// byte.
#[test]
fn a_build_stopped_at_any_moment_leaves_one_whole_output() {
    let (site, titled, output_a) = built_with_history();
    let old_versions = output_a.keys().filter(|p| p.contains("/versie/")).count();
    assert!(old_versions >= 200, "{old_versions}");
    let started = std::time::Instant::now();
    titled(&site, "B");
    site.build_ok();
    let build_time = started.elapsed();
    let output_b = site.public_snapshot();
    assert_ne!(output_a, output_b, "the title is on every page");
    let name = |output: &Output| {
        if *output == output_a {
            "A"
        } else if *output == output_b {
            "B"
        } else {
            "neither"
        }
    };
    for step in 0..20u32 {
        for signal in ["-INT", "-KILL"] {
            titled(&site, "A");
            let mut build = start_build(&site);
            std::thread::sleep(build_time * step / 16);
            let _ = std::process::Command::new("kill")
                .args([signal, &build.id().to_string()])
                .status();
            let _ = build.wait();
            let output = site.public_snapshot();
            assert_ne!(
                name(&output),
                "neither",
                "kill {signal} after {step}/16 of a build left {} old versions of {old_versions}",
                output.keys().filter(|p| p.contains("/versie/")).count()
            );
            titled(&site, "B");
            site.build_ok();
        }
    }
}

/// An old version removed from `public/` by hand, replaced, or changed in
/// place by a step after the build (its bytes at the same size, its mode,
/// or its owner), is made again by the next build, and by every build after it:
/// old versions in the output share their files with the cache.
#[test]
fn old_versions_removed_or_changed_in_the_output_come_back_as_built() {
    use std::os::unix::fs::PermissionsExt;
    let (site, _, built) = built_with_history();
    let mut old_versions = built.keys().filter(|p| p.contains("/versie/"));
    let mut next = || site.path("public").join(old_versions.next().unwrap());
    let (removed, replaced, edited, chmodded, chowned) = (next(), next(), next(), next(), next());
    // Only where this user may give files away (root, as in CI).
    let gave_away = std::os::unix::fs::chown(&chowned, Some(65534), None).is_ok();
    std::fs::remove_file(removed).unwrap();
    // As `sed -i` does it: a new file in its place.
    let text = std::fs::read_to_string(&replaced).unwrap();
    std::fs::remove_file(&replaced).unwrap();
    std::fs::write(&replaced, text.replace("Pagina", "PAGINA")).unwrap();
    // As `open(path, "w")` does it: the same file written again.
    let text = std::fs::read_to_string(&edited).unwrap();
    std::fs::write(&edited, text.replace("Pagina", "PAGINA")).unwrap();
    std::fs::set_permissions(&chmodded, std::fs::Permissions::from_mode(0o600)).unwrap();
    // The output changed is the next build's reserve: the build after it
    // moves old versions from there.
    for round in ["next build", "the build after", "after rm -rf public"] {
        if round == "after rm -rf public" {
            std::fs::remove_dir_all(site.path("public")).unwrap();
        }
        site.build_ok();
        let rebuilt = site.public_snapshot();
        let wrong = common::paths_that_differ(&built, &rebuilt);
        assert!(wrong.is_empty(), "{round}: not as built: {wrong:?}");
        let mode = std::fs::metadata(&chmodded).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o644, "{round}");
        use std::os::unix::fs::MetadataExt;
        let owner = |path: &std::path::Path| std::fs::metadata(path).unwrap().uid();
        if gave_away {
            assert_eq!(owner(&chowned), owner(&site.path("public")), "{round}");
        }
    }
}

/// The reserve in the cache (the output before the current, whose old
/// versions the next build moves in) is no more trusted than the output
/// was: a file replaced or added in it, a folder of old versions turned
/// into a link or given other rights or an ACL, or the reserve itself a
/// link, never
/// reaches `public/`, and nothing a link leads to is touched.
#[test]
fn nothing_changed_in_the_reserve_reaches_the_output() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let (site, _, built) = built_with_history();
    site.build_ok();
    let reserve = site.path(".twn-cache/reserve/public");
    // One old version's folder of each page, each changed another way.
    let mut pages = std::collections::BTreeSet::new();
    let versions: Vec<std::path::PathBuf> = built
        .keys()
        .filter(|p| p.contains("/versie/") && p.ends_with("/index.html"))
        .filter(|p| pages.insert(p.split('/').next().unwrap().to_owned()))
        .map(|p| reserve.join(p).parent().unwrap().to_path_buf())
        .collect();
    assert!(versions.len() >= 10 && versions[0].is_dir(), "{versions:?}");
    // Should the site's .gitignore name only `/public`, `git add -A` must
    // still leave the reserve out.
    let ignored = site.read(".gitignore");
    site.write(".gitignore", "/public\n");
    let untracked = common::git(site.dir.path(), &["status", "--porcelain", "-uall"]);
    assert!(!untracked.contains("reserve"), "{untracked}");
    site.write(".gitignore", &ignored);
    let elsewhere = site.path("elders");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::write(elsewhere.join("index.html"), "van de gebruiker").unwrap();
    let own = site.path("eigen");
    std::fs::create_dir_all(own.join("versie/abc")).unwrap();
    std::fs::write(own.join("versie/abc/bewaren.txt"), "van de gebruiker").unwrap();
    let versions_folder = |k: usize| versions[k].parent().unwrap().to_path_buf();
    let page_folder = |k: usize| versions_folder(k).parent().unwrap().to_path_buf();
    // Replaced, added to, turned into a link, an extra page beside.
    let replaced = versions[0].join("index.html");
    let text = std::fs::read_to_string(&replaced).unwrap();
    std::fs::remove_file(&replaced).unwrap();
    std::fs::write(&replaced, text.replace("Pagina", "PAGINA")).unwrap();
    std::fs::write(versions[1].join("script.js"), "alert(1)").unwrap();
    std::fs::remove_dir_all(&versions[2]).unwrap();
    symlink(&elsewhere, &versions[2]).unwrap();
    std::fs::create_dir_all(versions_folder(3).join("extra")).unwrap();
    std::fs::write(versions_folder(3).join("extra/index.html"), "extra").unwrap();
    // A link on the way to a page's old versions, and the folder of them
    // a link itself, to folders of the user's that have them too.
    std::fs::remove_dir_all(page_folder(4)).unwrap();
    symlink(&own, page_folder(4)).unwrap();
    std::fs::remove_dir_all(versions_folder(5)).unwrap();
    symlink(own.join("versie"), versions_folder(5)).unwrap();
    // Rights taken away, from an old version's folder and from a page's
    // folder of them (`chmod -R go-rwx` between builds).
    let private = std::fs::Permissions::from_mode(0o700);
    std::fs::set_permissions(&versions[6], private.clone()).unwrap();
    std::fs::set_permissions(versions_folder(7), private).unwrap();
    // A default ACL that gives only the owner access (`setfacl -d`): the
    // mode does not show it, and folders made in it later would get it.
    let acl = "system.posix_acl_default";
    let owner_only: Vec<u8> = [2u32.to_le_bytes().to_vec()]
        .into_iter()
        .chain([(0x01u16, 7u16), (0x04, 0), (0x20, 0)].map(|(tag, perm)| {
            [tag.to_le_bytes(), perm.to_le_bytes()]
                .concat()
                .into_iter()
                .chain(u32::MAX.to_le_bytes())
                .collect()
        }))
        .flatten()
        .collect();
    let with_acl = versions_folder(8);
    let acl_set =
        rustix::fs::setxattr(&with_acl, acl, &owner_only, rustix::fs::XattrFlags::empty()).is_ok();
    site.build_ok();
    assert_eq!(
        std::fs::read_to_string(own.join("versie/abc/bewaren.txt")).unwrap(),
        "van de gebruiker"
    );
    assert!(
        site.public_snapshot() == built,
        "the output is as built, and nothing more"
    );
    let public = |path: &std::path::Path| {
        site.path("public")
            .join(path.strip_prefix(&reserve).unwrap())
    };
    let mode = |path: std::path::PathBuf| std::fs::metadata(path).unwrap().permissions().mode();
    let as_made = mode(site.path("public"));
    assert_eq!(mode(public(&versions[6])), as_made);
    assert_eq!(mode(public(&versions_folder(7))), as_made);
    // Only where the file system takes ACLs.
    if acl_set {
        assert_eq!(
            rustix::fs::getxattr(public(&with_acl), acl, &mut [0u8; 64]),
            Err(rustix::io::Errno::NODATA)
        );
    }
    assert_eq!(
        std::fs::read_to_string(elsewhere.join("index.html")).unwrap(),
        "van de gebruiker"
    );
    // A build that fails once it holds the reserve (at a file beside a
    // page that twn writes itself) gives it back for the next.
    site.write("content/p1/index.html", "van de gebruiker");
    let failed = site.twn(&["build"]);
    assert!(
        failed.stderr.contains("schrijft twn zelf"),
        "{}",
        failed.stderr
    );
    assert!(reserve.is_dir());
    std::fs::remove_file(site.path("content/p1/index.html")).unwrap();
    // The reserve a link: neither used nor followed, and left alone.
    std::fs::remove_dir_all(&reserve).unwrap();
    symlink(&elsewhere, &reserve).unwrap();
    site.build_ok();
    site.build_ok();
    assert!(site.public_snapshot() == built);
    assert!(reserve.symlink_metadata().unwrap().is_symlink());
    assert_eq!(
        std::fs::read_dir(&elsewhere).unwrap().count(),
        1,
        "nothing stored in the folder it leads to"
    );
}

/// Only the output built last keeps a reserve: one of an output no longer
/// built would keep its old versions after the cache let them go (and
/// after they were purged from git), and each name would add one.
#[test]
fn only_the_output_built_last_keeps_a_reserve() {
    let (site, _, _) = built_with_history();
    let reserves = || -> Vec<String> {
        std::fs::read_dir(site.path(".twn-cache/reserve"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect()
    };
    site.build_ok();
    assert_eq!(reserves(), ["public"]);
    for _ in 0..2 {
        let run = site.twn(&["build", "--out", "voorbeeld"]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
    }
    assert_eq!(reserves(), ["voorbeeld"]);
    std::fs::remove_dir_all(site.path("voorbeeld")).unwrap();
    site.build_ok();
    assert_eq!(reserves(), ["public"]);
}

/// Builds started together on one site: each finishes, none takes
/// another's staging folder for a leftover, and `public/` is one whole
/// output with nothing left beside it.
#[test]
fn builds_at_once_each_finish_with_one_whole_output() {
    let (site, _, built) = built_with_history();
    for round in 0..5 {
        let builds: Vec<std::process::Child> = (0..4).map(|_| start_build(&site)).collect();
        for build in builds {
            let run = build.wait_with_output().unwrap();
            assert!(
                run.status.success(),
                "round {round}: {}",
                String::from_utf8_lossy(&run.stderr)
            );
        }
        assert!(site.public_snapshot() == built, "round {round}");
        let beside: Vec<String> = std::fs::read_dir(site.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|name| name.starts_with(".public."))
            .collect();
        assert!(beside.is_empty(), "round {round}: {beside:?}");
    }
}
