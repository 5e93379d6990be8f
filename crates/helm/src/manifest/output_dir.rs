//! `helm template --output-dir`: every printed document is written to
//! `DIR/<source path>` instead of stdout.

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{Assembled, Section};

/// Go's `path/filepath.Clean` on Unix (lexical).
fn go_clean(path: &str) -> String {
    if path.is_empty() {
        return ".".to_string();
    }
    let rooted = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !rooted {
                    parts.push("..");
                }
            }
            p => parts.push(p),
        }
    }
    let joined = parts.join("/");
    match (rooted, joined.is_empty()) {
        (true, _) => format!("/{joined}"),
        (false, true) => ".".to_string(),
        (false, false) => joined,
    }
}

/// Go's `filepath.Join(a, b)` for two elements.
fn go_join(a: &str, b: &str) -> String {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => String::new(),
        (true, false) => go_clean(b),
        (false, true) => go_clean(a),
        (false, false) => go_clean(&format!("{a}/{b}")),
    }
}

/// One write Helm performs: file name as printed, text appended, and how the file is opened.
struct Write1 {
    file: String,
    chunk: String,
    /// Whether an existing file is appended to (else it is truncated).
    append: bool,
}

/// Writes `helm template --output-dir DIR` files for `assembled` (as produced with the same
/// `--include-crds`/`--no-hooks`/`--skip-tests` flags) and returns the lines Helm prints on
/// stdout, in order, without newlines: one `wrote <DIR>/<source>` per document. Helm's stdout
/// is then these lines, each followed by `\n`, and then what it prints for an empty manifest:
/// one more `\n` — or, with `--show-only`, [`show_only`](super::show_only) of `"\n"`, which
/// always fails (`could not find template …`, after the files were written).
///
/// Behaviour reproduced from Helm: the file name is the plain string `DIR + "/" + source`
/// (so `out/` gives `out//chart/…`); with `release_name` (`--release-name`) manifests and hooks
/// go to `filepath.Join(DIR, release)` but CRDs still go to `DIR`; each file holds its
/// documents as `---\n# Source: <source>\n<doc>\n` in output order (CRDs raw); a CRD or
/// manifest file is truncated on its first write of the run, but a hook's file is appended to
/// whenever it already exists — also when it is left over from an earlier run.
///
/// Each file is written atomically: its new content goes to a temporary file in the same
/// directory, which is then renamed over it. Directories are created as needed.
pub fn write_output_dir(
    dir: &str,
    assembled: &Assembled,
    release_name: Option<&str>,
) -> io::Result<Vec<String>> {
    let release_dir = match release_name {
        Some(r) => go_join(dir, r),
        None => dir.to_string(),
    };
    let mut writes = Vec::new();
    let mut written: HashMap<&str, bool> = HashMap::new();
    for d in &assembled.documents {
        let base = match d.section {
            Section::Crd => dir,
            Section::Manifest | Section::Hook => &release_dir,
        };
        let file = format!("{base}/{}", d.source);
        let append = match d.section {
            Section::Crd | Section::Manifest => written.insert(&d.source, true).unwrap_or(false),
            // Helm stats the file: anything already there is appended to.
            Section::Hook => true,
        };
        writes.push(Write1 {
            chunk: format!("---\n# Source: {}\n{}\n", d.source, d.content),
            file,
            append,
        });
    }

    // Group the writes per file (first write decides whether old content survives) and
    // write every file once.
    let mut files: BTreeMap<PathBuf, (bool, String)> = BTreeMap::new();
    let mut lines = Vec::with_capacity(writes.len());
    for w in writes {
        let path = PathBuf::from(&w.file);
        lines.push(format!("wrote {}", w.file));
        match files.get_mut(&path) {
            Some((_, text)) => text.push_str(&w.chunk),
            None => {
                files.insert(path, (w.append, w.chunk));
            }
        }
    }
    for (path, (keep_existing, text)) in files {
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            create_dirs(parent)?;
        }
        let mut content = Vec::new();
        if keep_existing {
            match fs::read(&path) {
                Ok(old) => content = old,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        content.extend_from_slice(text.as_bytes());
        write_atomically(&path, &content)?;
    }
    Ok(lines)
}

fn create_dirs(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o755);
    }
    builder.create(dir)
}

/// Writes `content` to a temporary file next to `path` and renames it over `path`, keeping the
/// permissions of a file that already exists.
fn write_atomically(path: &Path, content: &[u8]) -> io::Result<()> {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let parent = path.parent().unwrap_or(Path::new("."));
    let base = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = parent.join(format!(
        ".{base}.chartkit-tmp-{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut f = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(content)?;
        f.sync_all()?;
        if let Ok(meta) = fs::metadata(path) {
            f.set_permissions(meta.permissions())?;
        }
        drop(f);
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::{go_clean, go_join};

    #[test]
    fn clean() {
        assert_eq!(go_clean("out/"), "out");
        assert_eq!(go_clean("./out//a/../b"), "out/b");
        assert_eq!(go_clean("/../a"), "/a");
        assert_eq!(go_clean("../a"), "../a");
        assert_eq!(go_clean(""), ".");
        assert_eq!(go_join("out/", "r"), "out/r");
        assert_eq!(go_join("", "r"), "r");
    }
}
