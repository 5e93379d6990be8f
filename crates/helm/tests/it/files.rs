//! `.Files.Glob` and `.helmignore` against real Helm.
//!
//! The cases live here; their expectations (what Helm 4 and Helm 3 showed) are committed under
//! `fixtures/files/`. `CHARTKIT_REGENERATE=1` re-runs Helm and rewrites those files. A normal run
//! checks [`helm::glob`] and [`helm::ignore`] against the committed expectations and, when the
//! oracle is installed (it must be under `CI=true`), re-runs Helm and checks the expectations
//! are still what Helm does.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use helm::glob::helm_files_glob;
use helm::ignore::Rules;
use oracle::{HelmVersion, TempDir};
use serde_json::{Value, json};

/// The non-special files of the chart the glob patterns run against (the keys of `.Files`).
const GLOB_FILES: &[&str] = &[
    ".hidden",
    "-.txt",
    "LICENSE",
    "README.md",
    "a",
    "a.txt",
    "ab",
    "ab.txt",
    "abc.txt",
    "b",
    "b.txt",
    "c.txt",
    "conf/app.properties",
    "conf/b.yaml",
    "conf/x-y.conf",
    "crds/c.yaml",
    "d.txt",
    "dir.with.dots/f.txt",
    "files/a.txt",
    "files/b.json",
    "files/c.yaml",
    "files/sub/d.txt",
    "files/sub/deep/e.txt",
    "x.yaml",
    "weird/!bang.txt",
    "weird/-",
    "weird/[x].txt",
    "weird/]",
    "weird/^",
    "weird/a b.txt",
    "weird/a,b.txt",
    "weird/a/b",
    "weird/ab",
    "weird/axb",
    "weird/back\\slash",
    "weird/q?.txt",
    "weird/star*.txt",
    "weird/{c}.txt",
];

/// `.Files.Glob` patterns.
const GLOB_PATTERNS: &[&str] = &[
    "*",
    "**",
    "*.txt",
    "**.txt",
    "*/*",
    "**/*",
    "*/**",
    "files/*",
    "files/**",
    "files/**.txt",
    "files/**/*.txt",
    "files/*/*.txt",
    "**/d.txt",
    "**d.txt",
    "?.txt",
    "??.txt",
    "a?",
    "*/*/*",
    "[ab].txt",
    "[!ab].txt",
    "[a-c].txt",
    "[!a-c].txt",
    "[ab-d].txt",
    "[-a].txt",
    "{a,b}.txt",
    "{a,b}",
    "{a,{b,ab}}.txt",
    "{,a}b.txt",
    "{*.txt,files/*.json}",
    "conf/*.{yaml,properties}",
    "*.{md,txt}",
    "{README,LICENSE}*",
    "*{a,b}*",
    "{a,b",
    "{a,{b",
    "a\\",
    "\\a",
    "a}",
    "{a}}",
    ",",
    "weird/\\{c}.txt",
    "weird/{c}.txt",
    "weird/a,b.txt",
    "{weird/a,b}.txt",
    "weird/a\\,b.txt",
    "{weird/a\\,b.txt,x}",
    "weird/a[!x]b",
    "weird/a[/]b",
    "weird/a[.-0]b",
    "weird/a?b",
    "weird/a{/,}b",
    "weird/a{/,x,}b",
    "weird/*b",
    "weird/**b",
    "weird/[[]x].txt",
    "weird/\\[x\\].txt",
    "weird/[\\]x]",
    "weird/[]-a]",
    "weird/[\\-a]",
    "weird/[\\^]",
    "weird/[!!]bang.txt",
    "weird/star\\*.txt",
    "weird/star*.txt",
    "weird/q\\?.txt",
    "weird/back\\\\slash",
    "weird/a b.txt",
    "weird/!bang.txt",
    "*.*",
    ".*",
    "*/.*",
    "[.]*",
    "?*",
    "*?",
    "**?",
    "?**",
    "*[!/]",
    "[!a][!a]",
    "*x*",
    "**x**",
    "dir.with.dots/*",
    "*.with.*/*",
    "",
    "**/",
    // Invalid patterns: Helm matches everything.
    "[",
    "[]",
    "[!]",
    "[a-z0-9]",
    "[z-a]*",
    "[a-",
    "[a-]",
    "{a,[}",
    "weird/[x",
];

/// One `.helmignore` case.
struct IgnoreCase {
    name: &'static str,
    /// The `.helmignore` text; `None`: no file.
    helmignore: Option<&'static str>,
}

/// Files of every `.helmignore` chart (besides `.helmignore`).
const IGNORE_FILES: &[&str] = &[
    ".dir/f.txt",
    ".hidden",
    "*.txt",
    "Chart.yaml",
    "LICENSE",
    "README.md",
    "a.log",
    "a.txt",
    "b.txt",
    "conf/docs",
    "crds/c.yaml",
    "docs/a.txt",
    "docs/b.md",
    "docs/c.yaml",
    "docs/sub/a.txt",
    "docs/sub/c.yaml",
    "templates/.hidden.yaml",
    "templates/_helpers.tpl",
    "templates/b.yaml",
    "templates/keys.yaml",
    "templates/sub/c.yaml",
    "values.yaml",
    "x/docs/y.txt",
];

const IGNORE_CASES: &[IgnoreCase] = &[
    IgnoreCase {
        name: "no-helmignore",
        helmignore: None,
    },
    IgnoreCase {
        name: "empty",
        helmignore: Some(""),
    },
    IgnoreCase {
        name: "basename-star",
        helmignore: Some("*.txt\n"),
    },
    IgnoreCase {
        name: "path-star",
        helmignore: Some("docs/*.txt\n"),
    },
    IgnoreCase {
        name: "anchored",
        helmignore: Some("/a.txt\n"),
    },
    IgnoreCase {
        name: "anchored-nested",
        helmignore: Some("/docs/a.txt\n"),
    },
    IgnoreCase {
        name: "anchored-dir",
        helmignore: Some("/.dir/\n"),
    },
    IgnoreCase {
        name: "double-slash-anchor",
        helmignore: Some("//.dir/\n"),
    },
    IgnoreCase {
        name: "dir-only",
        helmignore: Some("docs/\n"),
    },
    IgnoreCase {
        name: "dir-name-without-slash",
        helmignore: Some("docs\n"),
    },
    IgnoreCase {
        name: "dir-children",
        helmignore: Some("docs/*\n"),
    },
    IgnoreCase {
        name: "star-dir-path",
        helmignore: Some("*/c.yaml\n"),
    },
    IgnoreCase {
        name: "nested-dir-only",
        helmignore: Some("  docs/sub/  \t\n"),
    },
    IgnoreCase {
        name: "template-file",
        helmignore: Some("templates/b.yaml\n"),
    },
    IgnoreCase {
        name: "template-dir",
        helmignore: Some("templates/sub/\n"),
    },
    IgnoreCase {
        name: "all-templates",
        helmignore: Some("templates/\n"),
    },
    IgnoreCase {
        name: "comments-blanks-crlf",
        helmignore: Some("# comment\r\n\r\n   *.md   \r\n#*.txt\r\n\t\r\n"),
    },
    IgnoreCase {
        name: "double-star",
        helmignore: Some("**/*.txt\n"),
    },
    IgnoreCase {
        name: "double-star-suffix",
        helmignore: Some("*.md\ndocs/**\n"),
    },
    IgnoreCase {
        name: "double-star-comment",
        helmignore: Some("# **\n*.md\n"),
    },
    IgnoreCase {
        name: "bad-pattern",
        helmignore: Some("[\n"),
    },
    IgnoreCase {
        name: "bad-pattern-range",
        helmignore: Some("*.md\ndocs/[a-\n"),
    },
    // Helm checks a rule by matching it against "abc", and Go stops at the first piece that
    // fails: `x*[` passes, `a*[` does not.
    IgnoreCase {
        name: "bad-pattern-unchecked",
        helmignore: Some("x*[\nREADME.md\n"),
    },
    IgnoreCase {
        name: "bad-pattern-checked",
        helmignore: Some("a*[\n"),
    },
    IgnoreCase {
        name: "bad-pattern-at-match-time",
        helmignore: Some("d*[\n*.log\n"),
    },
    IgnoreCase {
        name: "negation",
        helmignore: Some("!a.txt\n"),
    },
    IgnoreCase {
        name: "negation-after-rule",
        helmignore: Some("*.txt\n!a.txt\n"),
    },
    IgnoreCase {
        name: "negation-dir",
        helmignore: Some("!docs/\n"),
    },
    IgnoreCase {
        name: "negation-keeps-chart-only",
        helmignore: Some("!Chart.yaml\n"),
    },
    IgnoreCase {
        name: "chart-yaml-ignored",
        helmignore: Some("*.yaml\n"),
    },
    IgnoreCase {
        name: "values-ignored",
        helmignore: Some("values.yaml\n"),
    },
    IgnoreCase {
        name: "hidden",
        helmignore: Some(".*\n"),
    },
    IgnoreCase {
        name: "self",
        helmignore: Some(".helmignore\n"),
    },
    IgnoreCase {
        name: "escaped-star",
        helmignore: Some("\\*.txt\n"),
    },
    IgnoreCase {
        name: "class",
        helmignore: Some("[ab].log\n[^a].txt\n"),
    },
    IgnoreCase {
        name: "class-bang-is-literal",
        helmignore: Some("[!a].txt\n"),
    },
    IgnoreCase {
        name: "question",
        helmignore: Some("?.txt\n"),
    },
    IgnoreCase {
        name: "dir-rule-on-file",
        helmignore: Some("a.txt/\nREADME.md/\n"),
    },
    IgnoreCase {
        name: "nested-dir-by-name",
        helmignore: Some("x/\n"),
    },
    IgnoreCase {
        name: "trailing-star",
        helmignore: Some("docs/sub*\nLIC*\n"),
    },
    IgnoreCase {
        name: "first-match-wins",
        helmignore: Some("README.md\n!README.md\n"),
    },
];

fn fixtures_dir() -> PathBuf {
    oracle::workspace_root().join("fixtures/files")
}

fn regenerating() -> bool {
    std::env::var("CHARTKIT_REGENERATE").is_ok_and(|v| v == "1")
}

fn write_file(root: &Path, rel: &str, content: &str) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

const CHART_YAML: &str = "apiVersion: v2\nname: c\nversion: 0.1.0\n";

/// A Go double-quoted string literal.
fn go_quote(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            _ => out.push(c),
        }
    }
    out.push('"');
    out
}

fn string_list(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap_or_else(|| panic!("expected a list, got {v}"))
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn read_fixture(name: &str) -> Value {
    let path = fixtures_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e} (regenerate with CHARTKIT_REGENERATE=1)",
            path.display()
        )
    });
    serde_json::from_str(&text).unwrap()
}

fn write_fixture(name: &str, value: &Value) {
    let dir = fixtures_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let text = serde_json::to_string_pretty(value).unwrap() + "\n";
    std::fs::write(dir.join(name), text).unwrap();
}

// ---------------------------------------------------------------------------------------------
// .Files.Glob

/// Runs Helm on a chart whose `.Files` are `files` and returns, per pattern, the keys
/// `.Files.Glob` selected.
fn helm_globs(helm: &oracle::Helm, files: &[String], patterns: &[String]) -> Vec<Vec<String>> {
    let dir = TempDir::new("files-glob").unwrap();
    let chart = dir.path().join("c");
    write_file(&chart, "Chart.yaml", CHART_YAML);
    for f in files {
        write_file(&chart, f, "x\n");
    }
    let mut template = String::new();
    for (i, p) in patterns.iter().enumerate() {
        template.push_str(&format!(
            "{{{{ range $k, $v := .Files.Glob {} }}}}# G{i}: {{{{ $k }}}}\n{{{{ end }}}}",
            go_quote(p)
        ));
    }
    write_file(&chart, "templates/keys.yaml", &template);
    let out = helm.template(&chart, &[] as &[&str]).unwrap();
    assert!(out.success(), "{}: {}", helm.version, out.stderr);
    let mut result = vec![Vec::new(); patterns.len()];
    for line in out.stdout.lines() {
        if let Some(rest) = line.strip_prefix("# G")
            && let Some((i, key)) = rest.split_once(": ")
        {
            result[i.parse::<usize>().unwrap()].push(key.to_string());
        }
    }
    result
}

fn our_glob(pattern: &str, files: &[String]) -> Vec<String> {
    let matcher = helm_files_glob(pattern);
    let mut keys: Vec<String> = files.iter().filter(|f| matcher(f)).cloned().collect();
    keys.sort();
    keys
}

fn regenerate_glob(fixture: &str, files: &[&str], patterns: &[&str], about: &str) {
    let files: Vec<String> = files.iter().map(|s| s.to_string()).collect();
    let patterns: Vec<String> = patterns.iter().map(|s| s.to_string()).collect();
    let mut per_version = BTreeMap::new();
    for v in HelmVersion::ALL {
        let helm = oracle::require(v).expect("regenerating needs the oracle");
        per_version.insert(v.key(), helm_globs(&helm, &files, &patterns));
    }
    let cases: Vec<Value> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut case = json!({ "pattern": p });
            for (key, results) in &per_version {
                case[*key] = json!(results[i]);
            }
            case
        })
        .collect();
    write_fixture(
        fixture,
        &json!({
            "about": format!("{about} Generated by crates/helm/tests/it/files.rs with CHARTKIT_REGENERATE=1."),
            "files": files,
            "cases": cases,
        }),
    );
}

/// Checks the glob fixture against our matcher and (when installed) live Helm. Returns the
/// patterns on which our matcher differs from Helm, with the details.
fn check_glob_fixture(fixture: &str) -> BTreeMap<String, String> {
    let fixture = read_fixture(fixture);
    let files = string_list(&fixture["files"]);
    let cases = fixture["cases"].as_array().unwrap();
    let patterns: Vec<String> = cases
        .iter()
        .map(|c| c["pattern"].as_str().unwrap().to_string())
        .collect();
    let mut differences = BTreeMap::new();
    for (case, pattern) in cases.iter().zip(&patterns) {
        let want = string_list(&case["h4"]);
        assert_eq!(
            want,
            string_list(&case["h3"]),
            "helm 4 and 3 differ on {pattern:?}"
        );
        let got = our_glob(pattern, &files);
        if got != want {
            differences.insert(pattern.clone(), format!("helm {want:?}, ours {got:?}"));
        }
    }
    if !regenerating() {
        for v in HelmVersion::ALL {
            if let Some(helm) = oracle::require(v) {
                let live = helm_globs(&helm, &files, &patterns);
                for ((case, pattern), got) in cases.iter().zip(&patterns).zip(live) {
                    assert_eq!(string_list(&case[v.key()]), got, "{v} on {pattern:?}");
                }
            }
        }
    }
    differences
}

#[test]
fn files_glob_matches_helm() {
    if regenerating() {
        regenerate_glob(
            "glob.json",
            GLOB_FILES,
            GLOB_PATTERNS,
            "`.Files.Glob PATTERN` on a chart whose .Files are `files`: the keys each Helm version selected.",
        );
    }
    assert!(read_fixture("glob.json")["cases"].as_array().unwrap().len() >= 30);
    let differences = check_glob_fixture("glob.json");
    let report: Vec<String> = differences
        .iter()
        .map(|(p, d)| format!("{p:?}: {d}"))
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// Keys for gobwas/glob's quirks: multi-byte characters, and short ASCII names for the
/// degenerate patterns.
const QUIRK_FILES: &[&str] = &[
    "!",
    ".a",
    "[a]",
    "a",
    "a,b",
    "aa",
    "ab",
    "ac/ba",
    "c/a",
    "c/b",
    "a.txt",
    "b",
    "ba",
    "bb",
    "u/a.txt",
    "u/aé",
    "u/é.txt",
    "u/éa",
    "u/ü/x",
    "u/日本.txt",
    "é.txt",
];

/// Patterns that show gobwas/glob's quirks (see the `glob` module documentation).
const QUIRK_PATTERNS: &[&str] = &[
    "u/*",
    "u/**",
    "u/*.txt",
    "**.txt",
    "u/é.txt",
    "é.txt",
    "é*",
    "*é*",
    "u/?.txt",
    "u/??.txt",
    "u/a?",
    "u/?a",
    "u/[é].txt",
    "u/[!x].txt",
    "u/[à-ÿ].txt",
    "{é,a}.txt",
    "u/{é,a}.txt",
    "u/?/x",
    "u/*/x",
    // A `**` directly followed by `*`, and empty alternatives: gobwas's compiled tree cannot
    // match an empty remainder there.
    "[!ab][!ab]",
    "[a-b]{?,a/*}",
    "{a*,b/}",
    "?{a*,b/}",
    "a**a",
    "b[!a]",
    // Found by random testing against Helm.
    "**[!a]{a*,b/}",
    "**b{a*,b/}",
    "[!a-b]{?,a/*}",
    "[ab]?{?,a/*}",
    "*?{?,a/*}",
    ".{a*,b/}",
    "[ab]*/{a*,b/}",
    "**{a,{b,ab}}{?,a/*}",
    "***a****",
    "{***b*}",
    "?{/b{***",
    "{}a.{*}*",
    "{,{*}{",
    "b***",
    "?***",
    "***!",
    "*{",
    "*{}",
    "{}b*",
    "{}?",
    "b{*{",
    "{{bb,{}!",
    // These work.
    "b**",
    "{}",
    "b{,a}",
];

#[test]
fn files_glob_quirks_match_helm() {
    if regenerating() {
        regenerate_glob(
            "glob-quirks.json",
            QUIRK_FILES,
            QUIRK_PATTERNS,
            "`.Files.Glob PATTERN` on non-ASCII keys and with degenerate patterns, where gobwas/glob's quirks show: the keys each Helm version selected.",
        );
    }
    let differences = check_glob_fixture("glob-quirks.json");
    let report: Vec<String> = differences
        .iter()
        .map(|(p, d)| format!("{p:?}: {d}"))
        .collect();
    assert!(report.is_empty(), "{}", report.join("\n"));
}

/// Patterns with which gobwas/glob panics on the key `b` (the only key of the chart, so the
/// message is deterministic).
const PANIC_PATTERNS: &[&str] = &["b{", "b{}", "?{", "b{,}"];

/// Runs Helm on a chart whose only `.Files` key is `b`, with `.Files.Glob PATTERN`.
fn helm_glob_single(helm: &oracle::Helm, pattern: &str) -> Value {
    let dir = TempDir::new("files-glob-panic").unwrap();
    let chart = dir.path().join("c");
    write_file(&chart, "Chart.yaml", CHART_YAML);
    write_file(&chart, "b", "x\n");
    write_file(
        &chart,
        "templates/keys.yaml",
        &format!(
            "# keys\n{{{{ range $k, $v := .Files.Glob {} }}}}# G: {{{{ $k }}}}\n{{{{ end }}}}",
            go_quote(pattern)
        ),
    );
    let out = helm.template(&chart, &[] as &[&str]).unwrap();
    if out.success() {
        let keys: Vec<&str> = out
            .stdout
            .lines()
            .filter_map(|l| l.strip_prefix("# G: "))
            .collect();
        json!({ "keys": keys })
    } else {
        json!({ "error": out.stderr.trim_end() })
    }
}

#[test]
fn files_glob_panics_like_helm() {
    if regenerating() {
        let helms: Vec<_> = HelmVersion::ALL
            .into_iter()
            .map(|v| oracle::require(v).expect("regenerating needs the oracle"))
            .collect();
        let cases: Vec<Value> = PANIC_PATTERNS
            .iter()
            .map(|p| {
                let mut case = json!({ "pattern": p });
                for helm in &helms {
                    case[helm.version.key()] = helm_glob_single(helm, p);
                }
                case
            })
            .collect();
        write_fixture(
            "glob-panics.json",
            &json!({
                "about": "`.Files.Glob PATTERN` on a chart whose only .Files key is `b`: the keys, or Helm's error when gobwas/glob panics. Generated by crates/helm/tests/it/files.rs with CHARTKIT_REGENERATE=1.",
                "cases": cases,
            }),
        );
    }
    let fixture = read_fixture("glob-panics.json");
    for case in fixture["cases"].as_array().unwrap() {
        let pattern = case["pattern"].as_str().unwrap();
        let want = &case["h4"];
        assert_eq!(want, &case["h3"], "helm 4 and 3 differ on {pattern:?}");
        let ours = match helm::glob::Glob::helm_files(pattern).try_matches("b") {
            Ok(true) => json!({ "keys": ["b"] }),
            Ok(false) => json!({ "keys": [] }),
            Err(panic) => json!({ "error": format!("calling Glob: {panic}") }),
        };
        match (want.get("error"), ours.get("error")) {
            (Some(Value::String(helm)), Some(Value::String(ours))) => {
                assert!(
                    helm.contains(&format!("error {ours}\n")),
                    "{pattern:?}: helm {helm}, ours {ours}"
                )
            }
            _ => assert_eq!(want, &ours, "{pattern:?}"),
        }
        if !regenerating() {
            for v in HelmVersion::ALL {
                if let Some(helm) = oracle::require(v) {
                    assert_eq!(
                        case[v.key()],
                        helm_glob_single(&helm, pattern),
                        "{v} on {pattern:?}"
                    );
                }
            }
        }
    }
}

/// Keys for the random patterns.
const RANDOM_FILES: &[&str] = &[
    "!", "-", ".a", "[a]", "a,b", "a-b", "a.b", "a/-", "a/.b", "a/a", "a/ab/b", "a/b.a", "aa/b",
    "ab", "b", "ba", "bb", "x/y/z", "{a}", "é", "ü/b", "日本",
];

/// Pieces the random patterns are made of.
const RANDOM_PIECES: &[&str] = &[
    "a", "b", "/", "*", "**", "?", "[", "]", "!", "-", "{", "}", ",", "\\", ".", "[ab]", "[!a]",
    "[a-b]", "{a,b}", "{a*,b/}", "{?,a/*}", "é", "[!é]", "a", "b", "/", "*", "{", "}", ",",
];

/// `count` random patterns of 1 to 7 pieces (a fixed linear congruential generator, so the
/// list is the same on every run).
fn random_patterns(count: usize) -> Vec<String> {
    let mut state: u64 = 0x5eed_cafe;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < count {
        let pieces = 1 + next(7);
        let p: String = (0..pieces)
            .map(|_| RANDOM_PIECES[next(RANDOM_PIECES.len())])
            .collect();
        seen.insert(p);
    }
    seen.into_iter().collect()
}

/// Like [`helm_globs`], but patterns with which Helm fails (gobwas panics) are taken out one
/// by one and reported as `Err(message)`.
fn helm_globs_with_panics(
    helm: &oracle::Helm,
    files: &[String],
    patterns: &[String],
) -> Vec<Result<Vec<String>, String>> {
    let dir = TempDir::new("files-glob-random").unwrap();
    let chart = dir.path().join("c");
    write_file(&chart, "Chart.yaml", CHART_YAML);
    for f in files {
        write_file(&chart, f, "x\n");
    }
    let mut result: Vec<Result<Vec<String>, String>> = vec![Ok(Vec::new()); patterns.len()];
    let mut active: Vec<usize> = (0..patterns.len()).collect();
    loop {
        let mut template = String::new();
        for &i in &active {
            template.push_str(&format!(
                "{{{{ range $k, $v := .Files.Glob {} }}}}# G{i}: {{{{ $k }}}}\n{{{{ end }}}}",
                go_quote(&patterns[i])
            ));
        }
        write_file(&chart, "templates/keys.yaml", &template);
        let out = helm.template(&chart, &[] as &[&str]).unwrap();
        if out.success() {
            for line in out.stdout.lines() {
                if let Some(rest) = line.strip_prefix("# G")
                    && let Some((i, key)) = rest.split_once(": ")
                    && let Ok(keys) = &mut result[i.parse::<usize>().unwrap()]
                {
                    keys.push(key.to_string());
                }
            }
            return result;
        }
        // `...keys.yaml:LINE:COL: ... error calling Glob: MESSAGE`; line n holds pattern n-1.
        let line: usize = out
            .stderr
            .split_once("keys.yaml:")
            .and_then(|(_, rest)| rest.split(':').next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("unexpected helm failure: {}", out.stderr));
        let message = out
            .stderr
            .split_once("error calling Glob: ")
            .map(|(_, m)| m.lines().next().unwrap_or("").to_string())
            .unwrap_or_else(|| panic!("unexpected helm failure: {}", out.stderr));
        let i = active.remove(line - 1);
        result[i] = Err(message);
    }
}

/// Our result in the shape of [`helm_globs_with_panics`]: `Err` with every message a key panics
/// with (Helm reports the first key it tries, in Go's random map order).
fn our_glob_with_panics(pattern: &str, files: &[String]) -> Result<Vec<String>, Vec<String>> {
    let glob = helm::glob::Glob::helm_files(pattern);
    let mut keys = Vec::new();
    let mut panics = Vec::new();
    for f in files {
        match glob.try_matches(f) {
            Ok(true) => keys.push(f.clone()),
            Ok(false) => {}
            Err(p) => panics.push(p.to_string()),
        }
    }
    if panics.is_empty() {
        keys.sort();
        Ok(keys)
    } else {
        Err(panics)
    }
}

fn check_random(pattern: &str, want: &Result<Vec<String>, String>, files: &[String]) -> bool {
    match (want, our_glob_with_panics(pattern, files)) {
        (Ok(want), Ok(got)) => *want == got,
        (Err(message), Err(messages)) => messages.contains(message),
        _ => false,
    }
}

#[test]
fn files_glob_random_patterns_match_helm() {
    if regenerating() {
        let files: Vec<String> = RANDOM_FILES.iter().map(|s| s.to_string()).collect();
        let patterns = random_patterns(1500);
        let helm = oracle::require(HelmVersion::V4).expect("regenerating needs the oracle");
        let results = helm_globs_with_panics(&helm, &files, &patterns);
        let cases: Vec<Value> = patterns
            .iter()
            .zip(&results)
            .map(|(p, r)| match r {
                Ok(keys) => json!({ "pattern": p, "h4": keys }),
                Err(message) => json!({ "pattern": p, "h4_error": message }),
            })
            .collect();
        write_fixture(
            "glob-random.json",
            &json!({
                "about": "`.Files.Glob PATTERN` for random patterns on a chart whose .Files are `files`: the keys Helm 4 selected, or the Go panic it reported (`h4_error`). Generated by crates/helm/tests/it/files.rs with CHARTKIT_REGENERATE=1.",
                "files": files,
                "cases": cases,
            }),
        );
    }
    let fixture = read_fixture("glob-random.json");
    let files = string_list(&fixture["files"]);
    let cases = fixture["cases"].as_array().unwrap();
    let patterns: Vec<String> = cases
        .iter()
        .map(|c| c["pattern"].as_str().unwrap().to_string())
        .collect();
    let recorded: Vec<Result<Vec<String>, String>> = cases
        .iter()
        .map(|c| match c.get("h4_error") {
            Some(e) => Err(e.as_str().unwrap().to_string()),
            None => Ok(string_list(&c["h4"])),
        })
        .collect();
    let failures: Vec<String> = patterns
        .iter()
        .zip(&recorded)
        .filter(|(p, want)| !check_random(p, want, &files))
        .map(|(p, want)| {
            format!(
                "{p:?}: helm {want:?}, ours {:?}",
                our_glob_with_panics(p, &files)
            )
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if !regenerating()
        && let Some(helm) = oracle::require(HelmVersion::V4)
    {
        let live = helm_globs_with_panics(&helm, &files, &patterns);
        for ((p, want), got) in patterns.iter().zip(&recorded).zip(&live) {
            match (want, got) {
                (Ok(want), Ok(got)) => assert_eq!(want, got, "helm 4 on {p:?}"),
                (Err(_), Err(message)) => {
                    assert!(
                        check_random(p, &Err(message.clone()), &files),
                        "{p:?}: {message}"
                    )
                }
                _ => panic!("helm 4 on {p:?}: recorded {want:?}, now {got:?}"),
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// .helmignore

const KEYS_TEMPLATE: &str = "# keys\n{{ range $k, $v := .Files }}# F: {{ $k }}\n{{ end }}";

fn ignore_file_content(rel: &str) -> &'static str {
    match rel {
        "Chart.yaml" => CHART_YAML,
        "values.yaml" => "x: 1\n",
        "templates/keys.yaml" => KEYS_TEMPLATE,
        "templates/_helpers.tpl" => "{{/* helpers */}}\n",
        _ if rel.starts_with("templates/") => "# t\n",
        _ => "x\n",
    }
}

/// What Helm shows of a chart: `Ok` with the sorted list of `.Files` keys and rendered
/// templates (`templates/...`), or `Err` with stderr.
fn helm_ignore(
    helm: &oracle::Helm,
    files: &[&str],
    helmignore: Option<&str>,
) -> Result<Vec<String>, String> {
    let dir = TempDir::new("files-ignore").unwrap();
    let chart = dir.path().join("c");
    for f in files {
        write_file(&chart, f, ignore_file_content(f));
    }
    if let Some(text) = helmignore {
        write_file(&chart, ".helmignore", text);
    }
    let out = helm.template(&chart, &[] as &[&str]).unwrap();
    if !out.success() {
        let chart_dir = chart.display().to_string();
        return Err(out.stderr.trim_end().replace(&chart_dir, "<chart>"));
    }
    let mut seen = Vec::new();
    for line in out.stdout.lines() {
        if let Some(t) = line.strip_prefix("# Source: c/") {
            seen.push(t.to_string());
        } else if let Some(f) = line.strip_prefix("# F: ") {
            seen.push(f.to_string());
        }
    }
    seen.sort();
    Ok(seen)
}

/// A directory tree built from file paths.
#[derive(Default)]
struct Tree(BTreeMap<String, Option<Tree>>);

impl Tree {
    fn insert(&mut self, rel: &str) {
        match rel.split_once('/') {
            None => {
                self.0.insert(rel.to_string(), None);
            }
            Some((dir, rest)) => self
                .0
                .entry(dir.to_string())
                .or_insert_with(|| Some(Tree::default()))
                .as_mut()
                .expect("a file and a directory of the same name")
                .insert(rest),
        }
    }

    /// Helm's loader walk: lexical order, ignored directories skip their subtree.
    fn walk(&self, prefix: &str, rules: &Rules, loaded: &mut Vec<String>) {
        for (name, sub) in &self.0 {
            let rel = format!("{prefix}{name}");
            match sub {
                Some(tree) => {
                    if !rules.ignored(&rel, true) {
                        tree.walk(&format!("{rel}/"), rules, loaded);
                    }
                }
                None => {
                    if !rules.ignored(&rel, false) {
                        loaded.push(rel);
                    }
                }
            }
        }
    }
}

/// What our rules predict Helm shows (see [`helm_ignore`]); `Err` holds the message Helm's
/// stderr must contain.
fn our_ignore(files: &[&str], helmignore: Option<&str>) -> Result<Vec<String>, String> {
    let rules = match helmignore {
        Some(text) => Rules::parse(text)?,
        None => Rules::default(),
    };
    let mut tree = Tree::default();
    for f in files {
        tree.insert(f);
    }
    if helmignore.is_some() {
        tree.insert(".helmignore");
    }
    let mut loaded = Vec::new();
    tree.walk("", &rules, &mut loaded);
    if !loaded.iter().any(|f| f == "Chart.yaml") {
        return Err("Chart.yaml file is missing".into());
    }
    let keys_rendered = loaded.iter().any(|f| f == "templates/keys.yaml");
    let mut seen: Vec<String> = loaded
        .iter()
        .filter(|f| match f.strip_prefix("templates/") {
            Some(t) => !t.rsplit('/').next().unwrap().starts_with('_'),
            None => {
                keys_rendered
                    && !matches!(
                        f.as_str(),
                        "Chart.yaml" | "values.yaml" | "values.schema.json"
                    )
            }
        })
        .cloned()
        .collect();
    seen.sort();
    Ok(seen)
}

fn outcome_json(outcome: &Result<Vec<String>, String>) -> Value {
    match outcome {
        Ok(seen) => json!({ "shown": seen }),
        Err(stderr) => json!({ "error": stderr }),
    }
}

fn regenerate_ignore() {
    let helms: Vec<_> = HelmVersion::ALL
        .into_iter()
        .map(|v| oracle::require(v).expect("regenerating needs the oracle"))
        .collect();
    let cases: Vec<Value> = IGNORE_CASES
        .iter()
        .map(|c| {
            let mut case = json!({ "name": c.name, "helmignore": c.helmignore });
            for helm in &helms {
                case[helm.version.key()] =
                    outcome_json(&helm_ignore(helm, IGNORE_FILES, c.helmignore));
            }
            case
        })
        .collect();
    write_fixture(
        "helmignore.json",
        &json!({
            "about": "A chart with `files` (templates print `# F: <key>` for each .Files key; other templates print a comment) and the given .helmignore (null: none). `shown`: the .Files keys and the `# Source:` templates Helm printed; `error`: Helm's stderr. Generated by crates/helm/tests/it/files.rs with CHARTKIT_REGENERATE=1.",
            "files": IGNORE_FILES,
            "cases": cases,
        }),
    );
}

fn check_outcome(
    name: &str,
    want: &Value,
    got: &Result<Vec<String>, String>,
) -> Result<(), String> {
    match (want.get("shown"), want.get("error"), got) {
        (Some(shown), _, Ok(seen)) if string_list(shown) == *seen => Ok(()),
        (_, Some(Value::String(stderr)), Err(msg)) if stderr.contains(msg.as_str()) => Ok(()),
        _ => Err(format!("{name}: helm {want}, ours {got:?}")),
    }
}

#[test]
fn helmignore_matches_helm() {
    if regenerating() {
        regenerate_ignore();
    }
    let fixture = read_fixture("helmignore.json");
    assert_eq!(string_list(&fixture["files"]), IGNORE_FILES);
    let cases = fixture["cases"].as_array().unwrap();
    assert!(cases.len() >= 15);
    let mut failures = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let helmignore = case["helmignore"].as_str();
        assert_eq!(case["h4"], case["h3"], "helm 4 and 3 differ on {name}");
        if let Err(e) = check_outcome(name, &case["h4"], &our_ignore(IGNORE_FILES, helmignore)) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if !regenerating() {
        for v in HelmVersion::ALL {
            if let Some(helm) = oracle::require(v) {
                for case in cases {
                    let name = case["name"].as_str().unwrap();
                    let live = outcome_json(&helm_ignore(
                        &helm,
                        IGNORE_FILES,
                        case["helmignore"].as_str(),
                    ));
                    assert_eq!(case[v.key()], live, "{v} on {name}");
                }
            }
        }
    }
}

/// Files of the random `.helmignore` charts.
const RANDOM_IGNORE_FILES: &[&str] = &[
    "!a",
    "-x",
    ".h",
    "Chart.yaml",
    "[a]",
    "\\q",
    "a",
    "a b",
    "a*b",
    "a.txt",
    "ab",
    "b.txt",
    "d-e/f",
    "docs/.h",
    "docs/a.txt",
    "docs/sub/b",
    "templates/b.yaml",
    "templates/keys.yaml",
    "templates/sub/c.yaml",
    "values.yaml",
    "x/a/b",
    "x/docs/y",
    "é.txt",
    "日",
];

const RANDOM_RULE_PIECES: &[&str] = &[
    "a", "b", "/", "*", "?", "[", "]", "^", "!", "-", "\\", ".", "x", "docs", "sub", "txt",
    "[a-c]", "[^a]", "[!a]", "é",
];

/// `count` random one-line `.helmignore` rules without `**` (a fixed generator).
fn random_rules(count: usize) -> Vec<String> {
    let mut state: u64 = 0x1e1e_0001;
    let mut next = move |n: usize| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((state >> 33) as usize) % n
    };
    let mut seen = std::collections::BTreeSet::new();
    while seen.len() < count {
        let pieces = 1 + next(5);
        let rule: String = (0..pieces)
            .map(|_| RANDOM_RULE_PIECES[next(RANDOM_RULE_PIECES.len())])
            .collect();
        if !rule.contains("**") {
            seen.insert(rule);
        }
    }
    seen.into_iter().collect()
}

/// Runs [`helm_ignore`] for each rule (`<rule>\n` as the whole file), eight at a time.
fn helm_ignore_many(helm: &oracle::Helm, rules: &[String]) -> Vec<Value> {
    let mut out = vec![Value::Null; rules.len()];
    for (chunk_rules, chunk_out) in rules.chunks(8).zip(out.chunks_mut(8)) {
        std::thread::scope(|scope| {
            for (rule, slot) in chunk_rules.iter().zip(chunk_out.iter_mut()) {
                scope.spawn(move || {
                    let text = format!("{rule}\n");
                    *slot = outcome_json(&helm_ignore(helm, RANDOM_IGNORE_FILES, Some(&text)));
                });
            }
        });
    }
    out
}

#[test]
fn helmignore_random_rules_match_helm() {
    if regenerating() {
        let rules = random_rules(200);
        let helm = oracle::require(HelmVersion::V4).expect("regenerating needs the oracle");
        let results = helm_ignore_many(&helm, &rules);
        let cases: Vec<Value> = rules
            .iter()
            .zip(results)
            .map(|(r, h4)| json!({ "rule": r, "h4": h4 }))
            .collect();
        write_fixture(
            "helmignore-random.json",
            &json!({
                "about": "Random one-rule .helmignore files on a chart with `files` (see helmignore.json for the shape of `h4`). Generated by crates/helm/tests/it/files.rs with CHARTKIT_REGENERATE=1.",
                "files": RANDOM_IGNORE_FILES,
                "cases": cases,
            }),
        );
    }
    let fixture = read_fixture("helmignore-random.json");
    assert_eq!(string_list(&fixture["files"]), RANDOM_IGNORE_FILES);
    let cases = fixture["cases"].as_array().unwrap();
    let mut failures = Vec::new();
    for case in cases {
        let rule = case["rule"].as_str().unwrap();
        let ours = our_ignore(RANDOM_IGNORE_FILES, Some(&format!("{rule}\n")));
        if let Err(e) = check_outcome(rule, &case["h4"], &ours) {
            failures.push(e);
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if !regenerating()
        && let Some(helm) = oracle::require(HelmVersion::V4)
    {
        let rules: Vec<String> = cases
            .iter()
            .map(|c| c["rule"].as_str().unwrap().to_string())
            .collect();
        for (case, live) in cases.iter().zip(helm_ignore_many(&helm, &rules)) {
            assert_eq!(case["h4"], live, "helm 4 on {:?}", case["rule"]);
        }
    }
}
