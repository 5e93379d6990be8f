//! Behaviours Helm cannot show directly (its own `slice`, `missingkey=zero` always, rewritten
//! parse errors), the host API (objects, callbacks, provenance, limits), and the engine's limits.
//! Expectations follow the Go language definition of `text/template`.

use std::sync::Arc;

use gotmpl::{
    CallContext, ErrorKind, Func, FuncError, FuncMap, List, Map, MissingKey, Object, Options,
    Output, Param, Signature, TemplateSet, Value,
};

fn run(text: &str, data: Value) -> Result<String, gotmpl::Error> {
    run_with(text, data, Options::default(), FuncMap::new())
}

fn run_with(
    text: &str,
    data: Value,
    options: Options,
    funcs: FuncMap,
) -> Result<String, gotmpl::Error> {
    let mut set = TemplateSet::new("root");
    set.set_options(options);
    set.add_funcs(funcs);
    set.parse("t", text)?;
    set.execute("t", data)
}

fn map(entries: &[(&str, Value)]) -> Value {
    let m = Map::new();
    for (k, v) in entries {
        m.insert(*k, v.clone());
    }
    Value::Map(m)
}

/// Runs `f` on a thread with a small stack, so a test proves the engine does not need a big one.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn go_slice_builtin() {
    let l = Value::list((1..=5).map(Value::Int).collect());
    let d = map(&[("s", "abcde".into()), ("l", l)]);
    assert_eq!(run("{{ slice .s 1 3 }}", d.clone()).unwrap(), "bc");
    assert_eq!(run("{{ slice .s 2 }}", d.clone()).unwrap(), "cde");
    assert_eq!(run("{{ slice .s }}", d.clone()).unwrap(), "abcde");
    assert_eq!(run("{{ slice .l 1 3 }}", d.clone()).unwrap(), "[2 3]");
    assert_eq!(run("{{ slice .l 1 2 3 }}", d.clone()).unwrap(), "[2]");
    let err = |t: &str| run(t, d.clone()).unwrap_err().message().to_string();
    assert_eq!(
        err("{{ slice .s 3 1 }}"),
        "error calling slice: invalid slice index: 3 > 1"
    );
    assert_eq!(
        err("{{ slice .s 1 2 3 }}"),
        "error calling slice: cannot 3-index slice a string"
    );
    assert_eq!(
        err("{{ slice .l 1 2 3 4 }}"),
        "error calling slice: too many slice indexes: 4"
    );
    assert_eq!(
        err("{{ slice .nope 1 }}"),
        "error calling slice: slice of untyped nil"
    );
    assert_eq!(
        err("{{ slice 3 1 }}"),
        "error calling slice: can't slice item of type int"
    );
    assert_eq!(
        err("{{ slice .l 9 }}"),
        "error calling slice: index out of range: 9"
    );
}

#[test]
fn missing_key_options() {
    let d = map(&[("a", Value::Int(1))]);
    let opts = |m| Options {
        missing_key: m,
        ..Options::default()
    };
    // Go's default: no value, and a chain through it is no value too.
    assert_eq!(
        run_with(
            "{{ .x }}|{{ .x.y }}",
            d.clone(),
            opts(MissingKey::Invalid),
            FuncMap::new()
        )
        .unwrap(),
        "<no value>|<no value>"
    );
    // Helm's zero: a nil interface, which a chain cannot go through.
    assert_eq!(
        run_with(
            "{{ .x }}",
            d.clone(),
            opts(MissingKey::Zero),
            FuncMap::new()
        )
        .unwrap(),
        "<no value>"
    );
    let e = run_with(
        "{{ .x.y }}",
        d.clone(),
        opts(MissingKey::Zero),
        FuncMap::new(),
    )
    .unwrap_err();
    assert_eq!(e.message(), "nil pointer evaluating interface {}.y");
    let e = run_with(
        "{{ .x }}",
        d.clone(),
        opts(MissingKey::Error),
        FuncMap::new(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "template: t:1:3: executing \"t\" at <.x>: map has no entry for key \"x\""
    );
    let e = run_with(
        "{{ template \"u\" }}{{ define \"u\" }}{{ .k }}{{ end }}",
        d,
        opts(MissingKey::Error),
        FuncMap::new(),
    )
    .unwrap_err();
    assert_eq!(e.message(), "nil data; no entry for key \"k\"");
}

#[test]
fn template_recursion_stops_at_go_depth() {
    let out = on_small_stack(|| {
        run(
            "{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}",
            Value::Int(1),
        )
    });
    let e = out.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Exec);
    assert_eq!(e.message(), "exceeded maximum template depth (100000)");
    assert_eq!(e.name(), "r");
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let ok = on_small_stack(|| {
        let depth = 5_000;
        let text = format!(
            "{}x{}",
            "{{ if 1 }}".repeat(depth),
            "{{ end }}".repeat(depth)
        );
        run(&text, Value::Missing)
    });
    assert_eq!(ok.unwrap(), "x");
    let too_deep = on_small_stack(|| {
        let depth = 20_000;
        let text = format!(
            "{}x{}",
            "{{ with 1 }}".repeat(depth),
            "{{ end }}".repeat(depth)
        );
        run(&text, Value::Missing)
    });
    let e = too_deep.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Parse);
    assert!(e.message().contains("max nesting depth exceeded"), "{e}");
    // Go's own limit on parenthesised expressions.
    let parens = on_small_stack(|| {
        let text = format!("{{{{ {}1{} }}}}", "(".repeat(10_001), ")".repeat(10_001));
        run(&text, Value::Missing)
    });
    assert!(
        parens
            .unwrap_err()
            .message()
            .contains("max expression depth exceeded")
    );
    let parens_ok = on_small_stack(|| {
        let text = format!("{{{{ {}1{} }}}}", "(".repeat(9_000), ")".repeat(9_000));
        run(&text, Value::Missing)
    });
    assert_eq!(parens_ok.unwrap(), "1");
}

/// A host object like Helm's `.Capabilities`: fields, a slice type with a method, and methods
/// returning objects.
struct Caps;
struct Versions(Vec<&'static str>);

impl Object for Caps {
    fn type_name(&self) -> &str {
        "*common.Capabilities"
    }
    fn field(&self, name: &str) -> Option<Value> {
        match name {
            "APIVersions" => Some(Value::Object(Arc::new(Versions(vec!["v1", "apps/v1"])))),
            "Name" => Some("caps".into()),
            _ => None,
        }
    }
    fn format(&self, _plus: bool) -> String {
        "&{caps}".into()
    }
}

impl Object for Versions {
    fn type_name(&self) -> &str {
        "common.VersionSet"
    }
    fn kind_name(&self) -> &'static str {
        "slice"
    }
    fn method(&self, name: &str) -> Option<Func> {
        let items: Vec<String> = self.0.iter().map(|s| s.to_string()).collect();
        match name {
            "Has" => Some(Func::infallible(
                Signature::fixed(&[Param::String]),
                move |_, a| Value::Bool(items.iter().any(|v| Some(v.as_str()) == a[0].as_str())),
            )),
            _ => None,
        }
    }
    fn as_list(&self) -> Option<List> {
        Some(List::new(self.0.iter().map(|s| Value::from(*s)).collect()))
    }
    fn format(&self, _plus: bool) -> String {
        format!("[{}]", self.0.join(" "))
    }
}

#[test]
fn host_objects_fields_and_methods() {
    let d = map(&[("Capabilities", Value::Object(Arc::new(Caps)))]);
    let t = |s: &str| run(s, d.clone());
    assert_eq!(
        t("{{ .Capabilities.APIVersions.Has \"apps/v1\" }}").unwrap(),
        "true"
    );
    assert_eq!(
        t("{{ .Capabilities.APIVersions.Has \"batch/v9\" }}").unwrap(),
        "false"
    );
    assert_eq!(
        t("{{ if .Capabilities.APIVersions.Has \"v1\" }}y{{ end }}").unwrap(),
        "y"
    );
    assert_eq!(
        t("{{ \"apps/v1\" | .Capabilities.APIVersions.Has }}").unwrap(),
        "true"
    );
    assert_eq!(
        t("{{ range .Capabilities.APIVersions }}{{ . }};{{ end }}").unwrap(),
        "v1;apps/v1;"
    );
    assert_eq!(t("{{ len .Capabilities.APIVersions }}").unwrap(), "2");
    assert_eq!(t("{{ .Capabilities }}").unwrap(), "&{caps}");
    assert_eq!(
        t("{{ printf \"%T\" .Capabilities }}").unwrap(),
        "*common.Capabilities"
    );
    let e = t("{{ .Capabilities.APIVersions.Has }}").unwrap_err();
    assert_eq!(e.message(), "wrong number of args for Has: want 1 got 0");
    // Out of a map the static type is `interface {}`; through a variable it is the object's.
    let e = t("{{ .Capabilities.Nope }}").unwrap_err();
    assert_eq!(
        e.message(),
        "can't evaluate field Nope in type interface {}"
    );
    let e = t("{{ $c := .Capabilities }}{{ $c.Nope }}").unwrap_err();
    assert_eq!(
        e.message(),
        "can't evaluate field Nope in type *common.Capabilities"
    );
    let e = t("{{ .Capabilities.Name 1 }}").unwrap_err();
    assert_eq!(
        e.message(),
        "Name has arguments but cannot be invoked as function"
    );
    let e = t("{{ .Capabilities.APIVersions.Has 3 }}").unwrap_err();
    assert_eq!(e.message(), "expected string; found 3");
}

fn include_funcs() -> FuncMap {
    let mut f = FuncMap::new();
    f.insert(
        "include",
        Func::new(
            Signature::fixed(&[Param::String, Param::Any]),
            |ctx: &mut CallContext<'_>, a| {
                let name = a[0].as_str().unwrap_or_default().to_string();
                ctx.execute_template(&name, a[1].clone())
                    .map(Value::from)
                    .map_err(FuncError::template)
            },
        ),
    );
    f.insert(
        "tpl",
        Func::new(
            Signature::fixed(&[Param::String, Param::Any]),
            |ctx: &mut CallContext<'_>, a| {
                let text = a[0].as_str().unwrap_or_default().to_string();
                ctx.parse_and_execute("gotpl", &text, a[1].clone(), None)
                    .map(Value::from)
                    .map_err(FuncError::template)
            },
        ),
    );
    f
}

#[test]
fn host_functions_call_back_into_the_engine() {
    let d = map(&[("name", "web".into())]);
    let text =
        "{{ define \"full\" }}{{ .name }}-app{{ end }}{{ include \"full\" . | printf \"[%s]\" }}";
    assert_eq!(
        run_with(text, d.clone(), Options::default(), include_funcs()).unwrap(),
        "[web-app]"
    );
    // tpl: new text parsed into a clone of the live set sees the chart's defines, and its own
    // defines stay out of the original set.
    let text = "{{ define \"h\" }}H{{ .name }}{{ end }}{{ tpl \"{{ define \\\"x\\\" }}X{{ end }}{{ include \\\"h\\\" . }}{{ template \\\"x\\\" }}\" . }}";
    assert_eq!(
        run_with(text, d.clone(), Options::default(), include_funcs()).unwrap(),
        "HwebX"
    );
    // Errors inside an included template keep the inner error as their source.
    let text = "{{ define \"bad\" }}{{ .name.x }}{{ end }}{{ include \"bad\" . }}";
    let e = run_with(text, d.clone(), Options::default(), include_funcs()).unwrap_err();
    assert_eq!(e.func(), Some("include"));
    let inner = e.source_error().expect("inner error kept");
    assert_eq!(inner.name(), "bad");
    // `.name` came out of a map, so its static type is `interface {}`.
    assert_eq!(
        inner.message(),
        "can't evaluate field x in type interface {}"
    );
    assert_eq!(
        e.to_string(),
        "template: t:1:43: executing \"t\" at <include \"bad\" .>: error calling include: template: t:1:26: executing \"bad\" at <.name.x>: can't evaluate field x in type interface {}"
    );
    // An unknown name, as Go's ExecuteTemplate reports it.
    let e = run_with(
        "{{ include \"nope\" . }}",
        d,
        Options::default(),
        include_funcs(),
    )
    .unwrap_err();
    assert_eq!(
        e.message(),
        "error calling include: template: no template \"nope\" associated with template \"root\""
    );
}

#[test]
fn call_invokes_function_values() {
    let add = Func::new(Signature::fixed(&[Param::Int, Param::Int]), |_, a| {
        match (&a[0], &a[1]) {
            (Value::Int(x), Value::Int(y)) => Ok(Value::Int(x + y)),
            _ => Err("bad".into()),
        }
    });
    let d = map(&[("add", Value::Func(add))]);
    assert_eq!(run("{{ call .add 2 3 }}", d.clone()).unwrap(), "5");
    let e = run("{{ call .add 2 }}", d).unwrap_err();
    assert_eq!(
        e.message(),
        "error calling call: wrong number of args for .add: got 1 want 2"
    );
}

#[test]
fn provenance_records_the_writing_node() {
    let mut set = TemplateSet::new("root");
    set.parse("f.yaml", "a: {{ .x }}\nb: {{ .y }}\n").unwrap();
    let mut out = Output::with_provenance();
    set.execute_to(
        "f.yaml",
        map(&[("x", Value::Int(1)), ("y", "z".into())]),
        &mut out,
    )
    .unwrap();
    let (text, spans) = out.into_parts();
    assert_eq!(text, "a: 1\nb: z\n");
    let offsets: Vec<(usize, usize, usize)> =
        spans.iter().map(|s| (s.start, s.end, s.offset)).collect();
    // Text "a: " at 0, the action at byte 6 (`.x`), text "\nb: " at 11, `.y` at 18, "\n" at 23.
    assert_eq!(
        offsets,
        vec![(0, 3, 0), (3, 4, 6), (4, 8, 11), (8, 9, 18), (9, 10, 23)]
    );
    assert!(spans.iter().all(|s| &*s.file == "f.yaml"));
}

#[test]
fn output_limit_stops_execution() {
    let opts = Options {
        max_output: 100,
        ..Options::default()
    };
    let e = run_with(
        "{{ range .l }}0123456789{{ end }}",
        map(&[("l", Value::list(vec![Value::Int(0); 50]))]),
        opts,
        FuncMap::new(),
    )
    .unwrap_err();
    assert!(
        e.message()
            .contains("output exceeds the limit of 100 bytes"),
        "{e}"
    );
}

#[test]
fn maps_range_in_sorted_order_whatever_the_insertion_order() {
    let m = Map::new();
    for k in ["b", "_a", "a10", "B", "a9", "1", "10", "9", "a"] {
        m.insert(k, Value::Bool(true));
    }
    assert_eq!(
        run("{{ range $k, $v := . }}{{ $k }},{{ end }}", Value::Map(m)).unwrap(),
        "1,10,9,B,_a,a,a10,a9,b,"
    );
}

#[test]
fn maps_are_shared_handles() {
    let mut f = FuncMap::new();
    f.insert(
        "set",
        Func::new(
            Signature::fixed(&[Param::Map, Param::String, Param::Any]),
            |_, a| {
                if let Value::Map(m) = &a[0] {
                    m.insert(a[1].as_str().unwrap_or_default(), a[2].clone());
                }
                Ok(a[0].clone())
            },
        ),
    );
    let d = map(&[("m", map(&[]))]);
    let out = run_with(
        "{{ $_ := set .m \"k\" 1 }}{{ .m.k }}",
        d,
        Options::default(),
        f,
    )
    .unwrap();
    assert_eq!(out, "1");
}

#[test]
fn errors_carry_positions() {
    let e = run("line1\n  {{ .a.b }}", map(&[("a", Value::Int(1))])).unwrap_err();
    let loc = e.location().unwrap();
    assert_eq!(
        (loc.line, loc.col, loc.offset, loc.context.as_str()),
        (2, 7, 13, ".a.b")
    );
    let e = TemplateSet::new("r").parse("p", "x\n{{ if }}").unwrap_err();
    assert_eq!((e.kind(), e.parse_line()), (ErrorKind::Parse, Some(2)));
    assert_eq!(e.to_string(), "template: p:2: missing value for if");
}

#[test]
fn later_definitions_replace_earlier_ones_but_empty_ones_do_not() {
    let mut set = TemplateSet::new("root");
    set.parse("a", "{{ define \"x\" }}A{{ end }}").unwrap();
    set.parse("b", "{{ define \"x\" }}B{{ end }}").unwrap();
    set.parse("c", "{{ define \"x\" }}  {{ end }}").unwrap();
    assert_eq!(set.execute("x", Value::Missing).unwrap(), "B");
    let e = set
        .parse(
            "d",
            "{{ define \"y\" }}1{{ end }}{{ define \"y\" }}2{{ end }}",
        )
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "template: d:1: template: multiple definition of template \"y\""
    );
}
