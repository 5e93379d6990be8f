//! The independent Kubernetes schema validator: the Python package `kubernetes-validate`
//! (pinned to [`VERSION`]), installed by `cargo xtask oracle` with `pip install --target` into
//! [`default_dir`] (`<target>/oracle/kubernetes-validate-<version>/`).
//!
//! It validates each object of a YAML stream against the JSON schema of its kind at a
//! Kubernetes version (`--strict`: unknown properties are errors) and prints one line per
//! object:
//!
//! * `INFO <file> passed for resource <kind>/<name> against version 1.29`;
//! * `ERROR <file> did not validate for resource <kind>/<name> against version 1.29: <path>: <message>`;
//! * `WARN <file> Couldn't find schema for kind <Kind> with api version <apiVersion> for kubernetes version 1.29`
//!   — it has no schema for the kind (custom resources such as `ServiceMonitor`): the object is
//!   **skipped**, not validated and not failed; [`Verdict::NoSchema`] records it so callers can
//!   check that only custom kinds were skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::TempDir;

/// The pinned version of the package.
pub const VERSION: &str = "1.37.0";

/// The package name on PyPI.
pub const PACKAGE: &str = "kubernetes-validate";

/// SHA-256 of the pinned `kubernetes_validate-1.37.0-py3-none-any.whl`.
pub const WHEEL_SHA256: &str = "85136d018a27b50ec7fc049d902bfa5193f5976807e6c0f408e3ab6fe078cad9";

/// The package and its dependencies, each pinned (installed with `--no-deps`, so nothing else
/// is resolved at install time).
pub const REQUIREMENTS: &[(&str, &str)] = &[
    ("kubernetes-validate", VERSION),
    ("jsonschema", "4.26.0"),
    ("jsonschema-specifications", "2025.9.1"),
    ("referencing", "0.37.0"),
    ("rpds-py", "2026.9.1"),
    ("attrs", "26.1.0"),
    ("typing-extensions", "4.16.0"),
    ("importlib-resources", "7.1.0"),
    ("packaging", "26.4"),
    ("PyYAML", "6.0.4"),
];

/// The environment variable that may point at an installation directory (a `pip install
/// --target` directory holding `kubernetes_validate/`).
pub const ENV_VAR: &str = "CHARTKIT_KUBERNETES_VALIDATE";

/// How long one validation may take before it is killed.
pub const TIMEOUT: Duration = Duration::from_secs(300);

/// Where `cargo xtask oracle` installs the package: `<target>/oracle/kubernetes-validate-<version>`.
pub fn default_dir() -> PathBuf {
    crate::oracle_dir().join(format!("kubernetes-validate-{VERSION}"))
}

/// An installation of the package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KubernetesValidate {
    /// The `--target` directory (holds `kubernetes_validate/` and the dependencies).
    pub dir: PathBuf,
}

/// Finds the installation: the directory in [`ENV_VAR`] if set, else [`default_dir`]; `None`
/// if it holds no `kubernetes_validate/__main__.py`.
pub fn find() -> Option<KubernetesValidate> {
    let dir = match std::env::var_os(ENV_VAR) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => default_dir(),
    };
    dir.join("kubernetes_validate/__main__.py")
        .is_file()
        .then_some(KubernetesValidate { dir })
}

/// Like [`find`], for tests: checks the reported version (panics on a wrong one). When the
/// package is missing, under `CI=true` this panics; otherwise it prints a note and returns
/// `None`, and the caller skips.
pub fn require() -> Option<KubernetesValidate> {
    match find() {
        Some(kv) => {
            if let Err(e) = kv.check_version() {
                panic!("{e}");
            }
            Some(kv)
        }
        None if crate::under_ci() => panic!(
            "{PACKAGE} {VERSION} not installed: run `cargo xtask oracle`; under CI=true a missing \
             validator is a failure (looked at {})",
            looked_at()
        ),
        None => {
            eprintln!(
                "note: {PACKAGE} {VERSION} not installed (run `cargo xtask oracle`): skipping the \
                 schema checks with it"
            );
            None
        }
    }
}

fn looked_at() -> String {
    match std::env::var_os(ENV_VAR) {
        Some(p) if !p.is_empty() => format!("${ENV_VAR}={}", PathBuf::from(p).display()),
        _ => format!("{} (${ENV_VAR} is not set)", default_dir().display()),
    }
}

/// Runs `python3 -m kubernetes_validate` with `dir` first on `sys.path` (and nothing from the
/// environment but `PATH`).
const LAUNCHER: &str = "import sys; sys.path.insert(0, sys.argv.pop(1)); \
from kubernetes_validate.__main__ import main; sys.argv[0] = 'kubernetes-validate'; sys.exit(main())";

/// What one run printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Output {
    /// The exit code (`None`: killed by a signal).
    pub code: Option<i32>,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

/// The verdict on one object (one line of output).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Validated: `<kind>/<name>` (kind in lower case, as the tool prints it).
    Passed(String),
    /// Did not validate: `<kind>/<name>` and the message (`<path>: <error>`).
    Failed(String, String),
    /// Skipped: no schema for this kind and apiVersion.
    NoSchema {
        /// The object's `kind`.
        kind: String,
        /// The object's `apiVersion`.
        api_version: String,
    },
    /// Any other line (a fatal error, a YAML error...).
    Other(String),
}

impl KubernetesValidate {
    /// Runs the tool with `args` (a clean environment: only `PATH`, a throw-away `HOME`).
    pub fn run<S: AsRef<std::ffi::OsStr>>(&self, args: &[S]) -> std::io::Result<Output> {
        let home = TempDir::new("kubernetes-validate-home")?;
        let mut cmd = Command::new("python3");
        cmd.arg("-s")
            .arg("-c")
            .arg(LAUNCHER)
            .arg(&self.dir)
            .args(args)
            .env_clear()
            .env("HOME", home.path())
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        let (status, stdout, stderr) =
            crate::run_with_timeout(&mut cmd, TIMEOUT, &format!("{PACKAGE} {VERSION}"))?;
        Ok(Output {
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        })
    }

    /// The version the tool reports (`--version`).
    pub fn reported_version(&self) -> std::io::Result<String> {
        let out = self.run(&["--version"])?;
        if out.code != Some(0) {
            return Err(std::io::Error::other(format!(
                "`{PACKAGE} --version` failed: {}",
                out.stderr.trim()
            )));
        }
        Ok(out.stdout.trim().to_string())
    }

    /// Checks that the installation reports [`VERSION`].
    pub fn check_version(&self) -> Result<(), String> {
        match self.reported_version() {
            Ok(v) if v == VERSION => Ok(()),
            Ok(v) => Err(format!(
                "{} reports {PACKAGE} {v}, but {VERSION} is pinned: run `cargo xtask oracle` (or fix ${ENV_VAR})",
                self.dir.display()
            )),
            Err(e) => Err(format!("{} ({}): {e}", PACKAGE, self.dir.display())),
        }
    }

    /// Validates every object of the YAML stream `yaml` strictly against Kubernetes
    /// `kube_version` (e.g. `"1.29.0"`); one verdict per object, in order, plus the raw output.
    pub fn validate_strict(
        &self,
        yaml: &str,
        kube_version: &str,
    ) -> std::io::Result<(Vec<Verdict>, Output)> {
        let dir = TempDir::new("kubernetes-validate")?;
        let file = dir.path().join("objects.yaml");
        std::fs::write(&file, yaml)?;
        let out = self.run(&[
            "--strict".as_ref(),
            "--kubernetes-version".as_ref(),
            kube_version.as_ref(),
            file.as_os_str(),
        ])?;
        let verdicts = parse_output(&out.stdout, &file);
        Ok((verdicts, out))
    }
}

/// Parses the tool's output lines for the file `file`.
pub fn parse_output(stdout: &str, file: &Path) -> Vec<Verdict> {
    let file = file.to_string_lossy();
    stdout
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| parse_line(line, &file))
        .collect()
}

fn parse_line(line: &str, file: &str) -> Verdict {
    let other = || Verdict::Other(line.to_string());
    if let Some(rest) = line.strip_prefix(&format!("INFO {file} passed for resource ")) {
        return match rest.split_once(" against version ") {
            Some((object, _)) => Verdict::Passed(object.to_string()),
            None => other(),
        };
    }
    if let Some(rest) = line.strip_prefix(&format!("ERROR {file} did not validate for resource ")) {
        return match rest.split_once(" against version ") {
            Some((object, tail)) => Verdict::Failed(
                object.to_string(),
                tail.split_once(": ")
                    .map_or(tail, |(_, msg)| msg)
                    .to_string(),
            ),
            None => other(),
        };
    }
    if let Some(rest) = line.strip_prefix(&format!("WARN {file} Couldn't find schema for kind "))
        && let Some((kind, tail)) = rest.split_once(" with api version ")
        && let Some((api_version, _)) = tail.split_once(" for kubernetes version ")
    {
        return Verdict::NoSchema {
            kind: kind.to_string(),
            api_version: api_version.to_string(),
        };
    }
    other()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_verdict() {
        let out = "INFO /t/o.yaml passed for resource deployment/x against version 1.29\n\
ERROR /t/o.yaml did not validate for resource service/y against version 1.29: spec.ports.0: 'a' is not of type 'integer'\n\
WARN /t/o.yaml Couldn't find schema for kind ServiceMonitor with api version monitoring.coreos.com/v1 for kubernetes version 1.29\n\
FATAL kubernetes-validate 1.37.0 does not support kubernetes version 9.9\n";
        let v = parse_output(out, Path::new("/t/o.yaml"));
        assert_eq!(v[0], Verdict::Passed("deployment/x".into()));
        assert_eq!(
            v[1],
            Verdict::Failed(
                "service/y".into(),
                "spec.ports.0: 'a' is not of type 'integer'".into()
            )
        );
        assert_eq!(
            v[2],
            Verdict::NoSchema {
                kind: "ServiceMonitor".into(),
                api_version: "monitoring.coreos.com/v1".into()
            }
        );
        assert!(matches!(v[3], Verdict::Other(_)));
    }

    #[test]
    fn default_dir_is_versioned() {
        assert!(default_dir().ends_with("oracle/kubernetes-validate-1.37.0"));
    }
}
