//! `chartkit render`: `helm template`'s arguments and flags, parsed as Helm's flag library
//! (pflag) parses them, so scripts can swap one for the other; exit code 0 or 1 as Helm.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use helm::Flavor;
use helm::template::{TemplateOptions, template};

/// How a flag takes its value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Bool,
    /// One string; a repeated flag replaces it.
    Str,
    /// `stringArray`: every occurrence appends, no splitting.
    Array,
    /// `stringSlice`: every occurrence appends its comma-separated values.
    Slice,
}

struct FlagDef {
    long: &'static str,
    short: Option<char>,
    kind: Kind,
}

const fn f(long: &'static str, short: Option<char>, kind: Kind) -> FlagDef {
    FlagDef { long, short, kind }
}

/// `helm template`'s flags (Helm 4), plus `--helm-version`.
const FLAGS: &[FlagDef] = &[
    f("values", Some('f'), Kind::Slice),
    f("set", None, Kind::Array),
    f("set-string", None, Kind::Array),
    f("set-file", None, Kind::Array),
    f("set-json", None, Kind::Array),
    f("set-literal", None, Kind::Array),
    f("namespace", Some('n'), Kind::Str),
    f("kube-version", None, Kind::Str),
    f("api-versions", Some('a'), Kind::Slice),
    f("show-only", Some('s'), Kind::Array),
    f("output-dir", None, Kind::Str),
    f("include-crds", None, Kind::Bool),
    f("skip-tests", None, Kind::Bool),
    f("no-hooks", None, Kind::Bool),
    f("is-upgrade", None, Kind::Bool),
    f("release-name", None, Kind::Bool),
    f("skip-schema-validation", None, Kind::Bool),
    f("generate-name", Some('g'), Kind::Bool),
    f("name-template", None, Kind::Str),
    f("helm-version", None, Kind::Str),
    // Accepted for compatibility; they do not change client-side rendering.
    f("skip-crds", None, Kind::Bool),
    f("validate", None, Kind::Bool),
    f("debug", None, Kind::Bool),
    f("devel", None, Kind::Bool),
    f("dependency-update", None, Kind::Bool),
    f("atomic", None, Kind::Bool),
    f("wait", None, Kind::Bool),
    f("wait-for-jobs", None, Kind::Bool),
    f("create-namespace", None, Kind::Bool),
    f("disable-openapi-validation", None, Kind::Bool),
    f("enable-dns", None, Kind::Bool),
    f("hide-notes", None, Kind::Bool),
    f("hide-secret", None, Kind::Bool),
    f("render-subchart-notes", None, Kind::Bool),
    f("replace", None, Kind::Bool),
    f("verify", None, Kind::Bool),
    f("insecure-skip-tls-verify", None, Kind::Bool),
    f("plain-http", None, Kind::Bool),
    f("pass-credentials", None, Kind::Bool),
    f("take-ownership", None, Kind::Bool),
    f("version", None, Kind::Str),
    f("repo", None, Kind::Str),
    f("username", None, Kind::Str),
    f("password", None, Kind::Str),
    f("cert-file", None, Kind::Str),
    f("key-file", None, Kind::Str),
    f("ca-file", None, Kind::Str),
    f("keyring", None, Kind::Str),
    f("post-renderer", None, Kind::Str),
    f("post-renderer-args", None, Kind::Array),
    f("description", None, Kind::Str),
    f("timeout", None, Kind::Str),
    f("dry-run", None, Kind::Str),
    f("labels", Some('l'), Kind::Slice),
    f("kubeconfig", None, Kind::Str),
    f("kube-context", None, Kind::Str),
    f("registry-config", None, Kind::Str),
    f("repository-config", None, Kind::Str),
    f("repository-cache", None, Kind::Str),
];

#[derive(Default)]
struct Parsed {
    positional: Vec<String>,
    values: std::collections::HashMap<&'static str, Vec<String>>,
}

impl Parsed {
    fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
    fn last(&self, long: &str) -> Option<String> {
        self.values.get(long).and_then(|v| v.last().cloned())
    }
    fn flag(&self, long: &str) -> bool {
        self.last(long).is_some_and(|v| v == "true")
    }
}

/// pflag's `stringSlice`: a CSV record.
fn split_csv(v: &str) -> Vec<String> {
    if v.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if cur.is_empty() && !quoted => quoted = true,
            '"' if quoted => {
                if chars.peek() == Some(&'"') {
                    cur.push('"');
                    chars.next();
                } else {
                    quoted = false;
                }
            }
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

fn set(p: &mut Parsed, def: &FlagDef, value: &str, shown: &str) -> Result<(), String> {
    let slot = p.values.entry(def.long).or_default();
    match def.kind {
        Kind::Bool => match parse_bool(value) {
            Some(b) => *slot = vec![b.to_string()],
            None => {
                return Err(format!(
                    "invalid argument \"{value}\" for \"{shown}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax"
                ));
            }
        },
        Kind::Str => *slot = vec![value.to_string()],
        Kind::Array => slot.push(value.to_string()),
        Kind::Slice => slot.extend(split_csv(value)),
    }
    Ok(())
}

fn parse(args: &[String]) -> Result<Parsed, String> {
    let mut p = Parsed::default();
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            p.positional.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(rest) = a.strip_prefix("--") {
            let (name, inline) = match rest.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (rest, None),
            };
            let Some(def) = FLAGS.iter().find(|d| d.long == name) else {
                return Err(format!("unknown flag: --{name}"));
            };
            let value = match (inline, def.kind) {
                (Some(v), _) => v,
                (None, Kind::Bool) => "true".into(),
                (None, _) => {
                    if i >= args.len() {
                        return Err(format!("flag needs an argument: --{name}"));
                    }
                    i += 1;
                    args[i - 1].clone()
                }
            };
            set(&mut p, def, &value, &format!("--{name}"))?;
        } else if a.len() > 1 && a.starts_with('-') {
            let shorts: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < shorts.len() {
                let c = shorts[j];
                let Some(def) = FLAGS.iter().find(|d| d.short == Some(c)) else {
                    return Err(format!("unknown shorthand flag: '{c}' in {a}"));
                };
                let shown = format!("-{c}, --{}", def.long);
                if def.kind == Kind::Bool {
                    if shorts.get(j + 1) == Some(&'=') {
                        let v: String = shorts[j + 2..].iter().collect();
                        set(&mut p, def, &v, &shown)?;
                        break;
                    }
                    set(&mut p, def, "true", &shown)?;
                    j += 1;
                    continue;
                }
                let rest: String = shorts[j + 1..].iter().collect();
                let value = if let Some(v) = rest.strip_prefix('=') {
                    v.to_string()
                } else if !rest.is_empty() {
                    rest
                } else if i < args.len() {
                    i += 1;
                    args[i - 1].clone()
                } else {
                    return Err(format!("flag needs an argument: '{c}' in -{c}"));
                };
                set(&mut p, def, &value, &shown)?;
                break;
            }
        } else {
            p.positional.push(a.clone());
        }
    }
    Ok(p)
}

fn fail(msg: &str) -> ExitCode {
    let _ = writeln!(std::io::stderr(), "Error: {msg}");
    ExitCode::from(1)
}

/// Runs `chartkit render ARGS...`.
/// The current kubeconfig context's namespace: `--kubeconfig`, else the `KUBECONFIG` list, else
/// `~/.kube/config` (unreadable files are skipped, as Helm does).
fn kubeconfig_namespace(p: &Parsed) -> Option<String> {
    let paths: Vec<PathBuf> = match p.last("kubeconfig").filter(|s| !s.is_empty()) {
        Some(f) => vec![PathBuf::from(f)],
        None => match std::env::var_os("KUBECONFIG").filter(|s| !s.is_empty()) {
            Some(list) => std::env::split_paths(&list).collect(),
            None => {
                let home = std::env::var_os("HOME")?;
                vec![PathBuf::from(home).join(".kube").join("config")]
            }
        },
    };
    let texts: Vec<String> = paths
        .iter()
        .filter_map(|f| std::fs::read_to_string(f).ok())
        .collect();
    helm::kubeconfig::namespace(&texts, p.last("kube-context").as_deref())
}

pub fn run(args: &[String]) -> ExitCode {
    let p = match parse(args) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let flavor = match p.last("helm-version").as_deref() {
        None | Some("4") => Flavor::Helm4,
        Some("3") => Flavor::Helm3,
        Some(other) => {
            return fail(&format!(
                "invalid argument \"{other}\" for \"--helm-version\" flag: must be 3 or 4"
            ));
        }
    };
    let (name, chart) = match p.positional.as_slice() {
        [] => {
            return fail(
                "\"helm template\" requires at least 1 argument\n\nUsage:  helm template [NAME] [CHART] [flags]",
            );
        }
        [chart] => ("release-name".to_string(), chart.clone()),
        [name, chart] => (name.clone(), chart.clone()),
        more => {
            return fail(&format!(
                "expected at most two arguments, unexpected arguments: {}",
                more[2..].join(", ")
            ));
        }
    };
    let namespace = p
        .last("namespace")
        .or_else(|| {
            std::env::var("HELM_NAMESPACE")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .or_else(|| kubeconfig_namespace(&p))
        .unwrap_or_else(|| "default".into());
    let opts = TemplateOptions {
        release_name: name,
        chart: PathBuf::from(chart),
        namespace,
        values_files: p.all("values").into_iter().map(PathBuf::from).collect(),
        set: p.all("set"),
        set_string: p.all("set-string"),
        set_file: p.all("set-file"),
        set_json: p.all("set-json"),
        set_literal: p.all("set-literal"),
        kube_version: p.last("kube-version"),
        api_versions: p.all("api-versions"),
        include_crds: p.flag("include-crds"),
        skip_tests: p.flag("skip-tests"),
        no_hooks: p.flag("no-hooks"),
        show_only: p.all("show-only"),
        output_dir: p.last("output-dir").map(PathBuf::from),
        use_release_name: p.flag("release-name"),
        is_upgrade: p.flag("is-upgrade"),
        skip_schema_validation: p.flag("skip-schema-validation"),
        flavor,
        debug: p.flag("debug"),
        record_provenance: false,
        record_template_provenance: false,
    };
    match template(&opts) {
        Ok(out) => {
            let _ = std::io::stderr().write_all(out.stderr.as_bytes());
            let mut stdout = std::io::stdout().lock();
            if stdout
                .write_all(out.stdout.as_bytes())
                .and_then(|_| stdout.flush())
                .is_err()
            {
                // A closed pipe is not an error of ours.
                return ExitCode::SUCCESS;
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            if !e.stdout.is_empty() {
                let mut stdout = std::io::stdout().lock();
                let _ = stdout
                    .write_all(e.stdout.as_bytes())
                    .and_then(|_| stdout.flush());
            }
            let _ = std::io::stderr().write_all(e.stderr().as_bytes());
            ExitCode::from(1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn pflag_forms() {
        let p = parse(&args("rel ./c -f a.yaml,b.yaml --values=c.yaml -n ns --set a=1,b=2 --set c=3 --include-crds -sx.yaml")).unwrap();
        assert_eq!(p.positional, vec!["rel", "./c"]);
        assert_eq!(p.all("values"), vec!["a.yaml", "b.yaml", "c.yaml"]);
        assert_eq!(p.all("set"), vec!["a=1,b=2", "c=3"]);
        assert_eq!(p.last("namespace").as_deref(), Some("ns"));
        assert!(p.flag("include-crds"));
        assert_eq!(p.all("show-only"), vec!["x.yaml"]);
    }

    #[test]
    fn pflag_errors() {
        assert_eq!(
            parse(&args("--nope")).err().unwrap(),
            "unknown flag: --nope"
        );
        assert_eq!(
            parse(&args("-x")).err().unwrap(),
            "unknown shorthand flag: 'x' in -x"
        );
        assert_eq!(
            parse(&args("--namespace")).err().unwrap(),
            "flag needs an argument: --namespace"
        );
        assert_eq!(
            parse(&args("-n")).err().unwrap(),
            "flag needs an argument: 'n' in -n"
        );
        assert!(
            parse(&args("--include-crds=maybe"))
                .err()
                .unwrap()
                .contains("strconv.ParseBool")
        );
    }
}
