//! The `pre-commit` framework, for the integration test of chartkit's hooks: pinned, installed by
//! `cargo xtask oracle` into `<target>/oracle/pre-commit-<version>/` (`pip install --target`),
//! run as `python3 -m pre_commit` with that directory first on `sys.path`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The pinned version of the framework.
pub const VERSION: &str = "4.7.0";

/// The package name on PyPI.
pub const PACKAGE: &str = "pre-commit";

/// The package and its dependencies, each pinned (installed with `--no-deps`).
pub const REQUIREMENTS: &[(&str, &str)] = &[
    ("pre-commit", VERSION),
    ("cfgv", "3.5.0"),
    ("identify", "2.6.20"),
    ("nodeenv", "1.12.0"),
    ("PyYAML", "6.0.4"),
    ("virtualenv", "21.15.11"),
    ("distlib", "0.4.4"),
    ("filelock", "4.3.1"),
    ("platformdirs", "4.14.8"),
    ("python-discovery", "1.9.6"),
    ("packaging", "26.4"),
];

/// The environment variable that may point at an installation directory.
pub const ENV_VAR: &str = "CHARTKIT_PRE_COMMIT";

/// Where `cargo xtask oracle` installs it.
pub fn default_dir() -> PathBuf {
    crate::oracle_dir().join(format!("pre-commit-{VERSION}"))
}

/// An installation of the framework.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreCommit {
    /// The `--target` directory (holds `pre_commit/` and the dependencies).
    pub dir: PathBuf,
}

/// Finds the installation ([`ENV_VAR`], else [`default_dir`]).
pub fn find() -> Option<PreCommit> {
    let dir = match std::env::var_os(ENV_VAR) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => default_dir(),
    };
    dir.join("pre_commit/__main__.py")
        .is_file()
        .then_some(PreCommit { dir })
}

/// Like [`find`], for tests: under `CI=true` a missing installation panics; otherwise it prints
/// a note and returns `None`, and the caller skips.
pub fn require() -> Option<PreCommit> {
    match find() {
        Some(p) => Some(p),
        None if crate::under_ci() => panic!(
            "{PACKAGE} {VERSION} not installed: run `cargo xtask oracle`; under CI=true a missing \
             framework is a failure (looked at {})",
            default_dir().display()
        ),
        None => {
            eprintln!(
                "note: {PACKAGE} {VERSION} not installed (run `cargo xtask oracle`): skipping"
            );
            None
        }
    }
}

impl PreCommit {
    /// `python3 -m pre_commit ARGS` in `cwd`, with its caches under `home` (`HOME` and
    /// `PRE_COMMIT_HOME`), and `PATH` kept (hooks run `git` and their entries).
    pub fn run(&self, args: &[&str], cwd: &Path, home: &Path) -> std::io::Result<Output> {
        Command::new("python3")
            .arg("-s")
            .arg("-m")
            .arg("pre_commit")
            .args(args)
            .current_dir(cwd)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("PYTHONPATH", &self.dir)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .env("HOME", home)
            .env("PRE_COMMIT_HOME", home.join("pre-commit"))
            .env("GIT_AUTHOR_NAME", "chartkit test")
            .env("GIT_AUTHOR_EMAIL", "test@example.com")
            .env("GIT_COMMITTER_NAME", "chartkit test")
            .env("GIT_COMMITTER_EMAIL", "test@example.com")
            .output()
    }

    /// The version the installation reports (`pre-commit 4.7.0`).
    pub fn reported_version(&self) -> std::io::Result<String> {
        let home = crate::TempDir::new("pre-commit-home")?;
        let out = self.run(&["--version"], Path::new("."), home.path())?;
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }
}
