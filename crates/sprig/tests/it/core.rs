//! The oracle-backed Sprig corpus: `fixtures/sprig/cases/*.toml`, with expectations recorded from
//! real Helm in `fixtures/sprig/expected/*.json` (same format and method as the engine corpus,
//! `fixtures/engine/README.md`), run through a template set with every Sprig function.

use std::path::PathBuf;

use gotmpl::{Error, GoVersion, Value};
use oracle::HelmVersion;
use oracle::engine_cases::{self, Case, Outcome, OutcomeKind};

/// The corpus directory (with `cases/` and `expected/`); `SPRIG_FIXTURES` points elsewhere, for
/// trying out new cases before they are added.
fn fixtures() -> PathBuf {
    match std::env::var_os("SPRIG_FIXTURES") {
        Some(dir) => PathBuf::from(dir),
        None => oracle::workspace_root().join("fixtures/sprig"),
    }
}

/// Case files of families implemented elsewhere, with one function of the family: the file is
/// only checked once that function is registered.
const FAMILY_FILES: &[(&str, &str)] = &[
    ("serialize", "toYaml"),
    ("semver", "semverCompare"),
    ("regex", "regexMatch"),
    ("date", "date"),
    ("crypto", "sha256sum"),
    ("random", "randAlpha"),
];

/// Whether the cases of `topic` can run: its family's functions are registered.
fn topic_enabled(topic: &str) -> bool {
    let funcs = crate::all_funcs();
    FAMILY_FILES
        .iter()
        .find(|(prefix, _)| topic.starts_with(prefix))
        .is_none_or(|(_, probe)| funcs.contains(probe))
}

/// How Helm 4 prints an execution error: a chain of pure template errors becomes one block per
/// link (`FILE:LINE:COL` / `  executing ...:` / `    message`); anything else stays on one line.
fn helm4_exec_text(err: &Error) -> String {
    match (err.location(), err.func()) {
        (Some(loc), None) => format!(
            "{}:{}:{}\n  executing {} at <{}>:\n    {}",
            loc.file,
            loc.line,
            loc.col,
            gotmpl::gofmt::quote(err.name()),
            loc.context,
            err.message()
        ),
        _ => err.to_string(),
    }
}

fn go_version(v: HelmVersion) -> GoVersion {
    match v {
        HelmVersion::V4 => GoVersion::Go1_25,
        HelmVersion::V3 => GoVersion::Go1_23,
    }
}

/// Runs one case through our engine with Sprig the way the generated chart runs it through
/// Helm, and returns what Helm would have printed.
fn run_ours(case: &Case, kind: OutcomeKind, v: HelmVersion) -> Outcome {
    let mut set = crate::sprig_set(go_version(v));
    let data = match case.data_value() {
        Some(j) => match crate::json_to_value(&j) {
            Value::Nil => Value::Missing,
            d => d,
        },
        None => Value::Missing,
    };
    if kind == OutcomeKind::ParseError {
        let err = match set.parse("gotpl", &case.template) {
            Ok(()) => {
                return Outcome {
                    kind: OutcomeKind::Output,
                    text: "<parsed without error>".into(),
                };
            }
            Err(e) => e,
        };
        let text = engine_cases::tpl_parse_error_stderr(
            &gotmpl::gofmt::quote(&case.template),
            &err.to_string(),
        );
        return Outcome {
            kind: OutcomeKind::ParseError,
            text,
        };
    }
    let name = case.template_name();
    if let Err(e) = set.parse(&name, &case.template) {
        return Outcome {
            kind: OutcomeKind::ParseError,
            text: format!("unexpected parse error: {e}"),
        };
    }
    match set.execute(&name, data) {
        Ok(out) => Outcome {
            kind: OutcomeKind::Output,
            text: out,
        },
        Err(e) => {
            let body = match v {
                HelmVersion::V4 => helm4_exec_text(&e),
                HelmVersion::V3 => e.to_string(),
            };
            Outcome {
                kind: OutcomeKind::ExecError,
                text: engine_cases::exec_error_stderr(&body),
            }
        }
    }
}

/// Re-verifies the committed expectations against real helm when it is installed.
#[test]
fn sprig_expectations_still_match_helm() {
    let dir = fixtures();
    let have_helm = HelmVersion::ALL
        .iter()
        .all(|v| oracle::require(*v).is_some());
    if !have_helm {
        return;
    }
    let report = engine_cases::verify_against_helm(&dir.join("cases"), &dir.join("expected"))
        .expect("helm runs");
    assert!(
        report.is_ok(),
        "committed expectations no longer match helm:\n{report}"
    );
    for (v, n) in &report.verified {
        eprintln!("sprig corpus: {n} cases re-verified against {v}");
    }
}

#[test]
fn sprig_corpus_matches_helm() {
    let dir = fixtures();
    let cases = engine_cases::load_cases(&dir.join("cases")).expect("cases load");
    let expected = engine_cases::load_expected(&dir.join("expected")).expect("expectations load");
    assert!(!cases.is_empty(), "the sprig corpus is empty");

    let enabled: Vec<&engine_cases::Case> =
        cases.iter().filter(|c| topic_enabled(&c.topic)).collect();
    let skipped = cases.len() - enabled.len();
    let (checked, failures) =
        engine_cases::compare_all(&enabled, &expected, run_ours).expect("expectations complete");
    eprintln!(
        "sprig corpus: {} cases ({skipped} skipped: family not registered), checked {:?}",
        cases.len(),
        checked
    );
    assert!(
        failures.is_empty(),
        "{} case runs differ from helm:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// ---------------------------------------------------------------------------------------------
// Behaviours the oracle corpus cannot show (Helm's own map types, randomness, sharing).

fn values_data() -> Value {
    let values = gotmpl::Map::new().with_type_name("common.Values");
    values.insert("a", Value::Float(1.0));
    let inner = gotmpl::Map::new();
    inner.insert("b", Value::from("x"));
    values.insert("m", Value::Map(inner));
    let root = gotmpl::Map::new();
    root.insert("Values", Value::Map(values));
    Value::Map(root)
}

#[test]
fn helm_values_map_type() {
    let r = |t: &str| crate::render(t, values_data());
    assert_eq!(r("{{ typeOf .Values }}").unwrap(), "common.Values");
    // A map parameter sees the plain Go map type.
    assert_eq!(
        r(r#"{{ typeOf (set .Values "k" 1) }}"#).unwrap(),
        "map[string]interface {}"
    );
    assert_eq!(r(r#"{{ get .Values "a" }}"#).unwrap(), "1");
    assert_eq!(r(r#"{{ hasKey .Values "m" }}"#).unwrap(), "true");
    assert_eq!(r(r#"{{ keys .Values | sortAlpha }}"#).unwrap(), "[a m]");
    // deepCopy keeps the named type.
    assert_eq!(
        r("{{ typeOf (deepCopy .Values) }}").unwrap(),
        "common.Values"
    );
    // dig type-asserts a plain map.
    let err = r(r#"{{ dig "a" "d" .Values }}"#).unwrap_err();
    assert!(
        err.ends_with(
            "error calling dig: interface conversion: interface {} is common.Values, not map[string]interface {}"
        ),
        "{err}"
    );
    assert_eq!(r(r#"{{ dig "b" "d" .Values.m }}"#).unwrap(), "x");
}

#[test]
fn set_and_merge_mutate_shared_maps() {
    let data = values_data();
    let out = crate::render(
        r#"{{ $_ := set .Values "new" 2 }}{{ $_ := merge .Values.m (dict "c" 3) }}{{ $_ := unset .Values "a" }}{{ .Values }}"#,
        data.clone(),
    )
    .unwrap();
    assert_eq!(out, "map[m:map[b:x c:3] new:2]");
    // The caller's map changed too.
    let Value::Map(root) = data else {
        unreachable!()
    };
    let Some(Value::Map(values)) = root.get("Values") else {
        panic!("no Values")
    };
    assert!(values.get("a").is_none());
    assert_eq!(values.get("new"), Some(Value::Int(2)));
}

#[test]
fn shuffle_is_a_permutation() {
    for _ in 0..20 {
        let out = crate::render(r#"{{ shuffle "abcdefgh" }}"#, Value::Missing).unwrap();
        let mut chars: Vec<char> = out.chars().collect();
        chars.sort_unstable();
        assert_eq!(chars.into_iter().collect::<String>(), "abcdefgh");
    }
}

#[test]
fn every_family_name_is_registered() {
    let funcs = crate::all_funcs();
    let names = "abbrev abbrevboth add add1 add1f addf all any append atoi b32dec b32enc b64dec \
        b64enc base biggest camelcase cat ceil chunk clean coalesce compact concat contains \
        deepCopy deepEqual default dict dig dir div divf empty ext first float64 floor get has \
        hasKey hasPrefix hasSuffix hello indent initial initials int int64 isAbs join kebabcase \
        keys kindIs kindOf last list lower max maxf merge mergeOverwrite min minf mod mul mulf \
        mustAppend mustChunk mustCompact mustDeepCopy mustFirst mustHas mustInitial mustLast \
        mustMerge mustMergeOverwrite mustPrepend mustPush mustRest mustReverse mustSlice mustUniq \
        mustWithout nindent nospace omit osBase osClean osDir osExt osIsAbs pick pluck plural \
        prepend push quote repeat replace rest reverse round seq set shuffle slice snakecase \
        sortAlpha split splitList splitn squote sub subf substr swapcase ternary title toDecimal \
        toString toStrings trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs \
        typeIsLike typeOf uniq unset until untilStep untitle upper urlJoin urlParse values \
        without wrap wrapWith";
    let missing: Vec<&str> = names
        .split_whitespace()
        .filter(|n| !funcs.contains(n))
        .collect();
    assert!(missing.is_empty(), "not registered: {missing:?}");
}
