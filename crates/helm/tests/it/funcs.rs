//! The function map is exactly Helm's: every name of Helm 4's map (HELM-SEMANTICS.md §6.11),
//! nothing else, and Helm 3's is the same minus `mustToYaml`.

use gotmpl::{MissingKey, Options, TemplateSet, Value};
use helm::Flavor;
use helm::render::helm_funcs;

const HELM4_NAMES: &str = "abbrev abbrevboth add add1 add1f addf adler32sum ago all and any append atoi b32dec b32enc b64dec b64enc
base bcrypt biggest buildCustomCert call camelcase cat ceil chunk clean coalesce compact concat contains
date dateInZone dateModify date_in_zone date_modify decryptAES deepCopy deepEqual default derivePassword
dict dig dir div divf duration durationRound empty encryptAES eq ext fail first float64 floor fromJson
fromJsonArray fromToml fromYaml fromYamlArray ge genCA genCAWithKey genPrivateKey genSelfSignedCert
genSelfSignedCertWithKey genSignedCert genSignedCertWithKey get getHostByName gt has hasKey hasPrefix
hasSuffix hello html htmlDate htmlDateInZone htpasswd include indent index initial initials int int64
isAbs join js kebabcase keys kindIs kindOf last le len list lookup lower lt max maxf merge mergeOverwrite
min minf mod mul mulf mustAppend mustChunk mustCompact mustDateModify mustDeepCopy mustFirst mustFromJson
mustHas mustInitial mustLast mustMerge mustMergeOverwrite mustPrepend mustPush mustRegexFind
mustRegexFindAll mustRegexMatch mustRegexReplaceAll mustRegexReplaceAllLiteral mustRegexSplit mustRest
mustReverse mustSlice mustToDate mustToJson mustToPrettyJson mustToRawJson mustToYaml mustUniq
mustWithout must_date_modify ne nindent nospace not now omit or osBase osClean osDir osExt osIsAbs pick
pluck plural prepend print printf println push quote randAlpha randAlphaNum randAscii randBytes randInt
randNumeric regexFind regexFindAll regexMatch regexQuoteMeta regexReplaceAll regexReplaceAllLiteral
regexSplit repeat replace required rest reverse round semver semverCompare seq set sha1sum sha256sum
sha512sum shuffle slice snakecase sortAlpha split splitList splitn squote sub subf substr swapcase
ternary title toDate toDecimal toJson toPrettyJson toRawJson toString toStrings toToml toYaml
toYamlPretty tpl trim trimAll trimPrefix trimSuffix trimall trunc tuple typeIs typeIsLike typeOf uniq
unixEpoch unset until untilStep untitle upper urlJoin urlParse urlquery uuidv4 values without wrap
wrapWith";

fn registry(flavor: Flavor) -> Vec<String> {
    let funcs = helm_funcs(flavor);
    let mut names: Vec<String> = funcs.names().into_iter().map(str::to_string).collect();
    for b in gotmpl::builtins().names() {
        if !funcs.contains(b) {
            names.push(b.to_string());
        }
    }
    names.sort();
    names
}

#[test]
fn helm4_function_map_is_exactly_helms() {
    let mut want: Vec<String> = HELM4_NAMES.split_whitespace().map(str::to_string).collect();
    want.sort();
    assert_eq!(want.len(), 239);
    assert_eq!(registry(Flavor::Helm4), want);
    want.retain(|n| n != "mustToYaml");
    assert_eq!(registry(Flavor::Helm3), want);
}

/// No name is a placeholder: every function, called with arguments of its parameter types,
/// either returns or fails with an error of its own; none reports "not implemented".
#[test]
fn no_function_is_a_placeholder() {
    let funcs = helm_funcs(Flavor::Helm4);
    let mut set = TemplateSet::new("gotpl");
    set.set_options(Options {
        missing_key: MissingKey::Zero,
        ..Options::default()
    });
    set.add_funcs(funcs.clone());
    for name in funcs.names() {
        let sig = funcs.get(name).expect("listed").signature().clone();
        let args: Vec<&str> = sig
            .params
            .iter()
            .map(|p| match p {
                gotmpl::Param::String => "\"a\"",
                gotmpl::Param::Int | gotmpl::Param::Int64 => "1",
                gotmpl::Param::Float64 => "1.5",
                gotmpl::Param::Bool => "true",
                gotmpl::Param::List | gotmpl::Param::StringList => "(list)",
                gotmpl::Param::Map => "(dict)",
                _ => "\"a\"",
            })
            .collect();
        let text = format!("{{{{ {name} {} }}}}", args.join(" "));
        let mut s = set.clone();
        if s.parse("t", &text).is_err() {
            continue; // argument shapes this generic call cannot satisfy are checked by the corpora
        }
        let msg = match s.execute("t", Value::Missing) {
            Ok(_) => continue,
            Err(e) => e.to_string(),
        };
        assert!(
            !msg.to_lowercase().contains("not implemented"),
            "{name}: {msg}"
        );
        assert!(
            !msg.to_lowercase().contains("unimplemented"),
            "{name}: {msg}"
        );
    }
}
