//! A smoke fuzz: 10,000 random templates (token soup and mutations of real ones) must parse or
//! fail cleanly, and execute or fail cleanly, never panic or overflow the stack.

use std::panic::{AssertUnwindSafe, catch_unwind};

use gotmpl::{Map, Options, TemplateSet, Value};

/// A small deterministic generator (xorshift64*), so a failure is reproducible from its index.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const TOKENS: &[&str] = &[
    "{{",
    "}}",
    "{{- ",
    " -}}",
    " ",
    " ",
    "\n",
    ".",
    ".a",
    ".b.c",
    ".l",
    "$",
    "$x",
    "$y",
    ":=",
    "=",
    "|",
    "(",
    ")",
    "\"s\"",
    "`r`",
    "'c'",
    "'\\n'",
    "1",
    "0x1F",
    "-3",
    "1.5e3",
    "1+2i",
    "nil",
    "true",
    "false",
    "if",
    "else",
    "end",
    "range",
    "with",
    "define \"t\"",
    "template \"t\"",
    "template \"t\" .",
    "block \"b\" .",
    "break",
    "continue",
    "len",
    "index",
    "slice",
    "printf \"%d %v %s\"",
    "print",
    "println",
    "eq",
    "ne",
    "lt",
    "and",
    "or",
    "not",
    "html",
    "js",
    "urlquery",
    "call",
    "/*",
    "*/",
    "text",
    "é",
    ",",
    "3",
    "{{ range .l }}",
    "{{ end }}",
    "{{ else }}",
    "{{ if .a }}",
    "{{ with .b }}",
    "{{ $x := .a }}",
    "{{ . }}",
    "}",
    "{",
    "\\",
    "\"",
    "'",
    "`",
];

fn data() -> Value {
    let b = Map::new();
    b.insert("c", Value::Float(1.5));
    let m = Map::new();
    m.insert("a", Value::Int(1));
    m.insert("b", Value::Map(b));
    m.insert(
        "l",
        Value::list(vec![Value::Int(1), "x".into(), Value::Nil]),
    );
    m.insert("n", Value::Nil);
    Value::Map(m)
}

fn check(text: &str) -> Result<(), String> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        let mut set = TemplateSet::new("root");
        // Keep pathological recursion cheap: the depth limit itself is tested elsewhere.
        set.set_options(Options {
            max_depth: 50,
            max_output: 1 << 16,
            ..Options::default()
        });
        if set.parse("t", text).is_ok() {
            let _ = set.execute("t", data());
            let _ = set.execute("t", Value::Missing);
        }
    }));
    result.map_err(|_| format!("panicked on {text:?}"))
}

fn seeds() -> Vec<String> {
    let dir = oracle::workspace_root().join("fixtures/engine/cases");
    oracle::engine_cases::load_cases(&dir)
        .expect("cases")
        .into_iter()
        .map(|c| c.template)
        .collect()
}

#[test]
fn ten_thousand_random_templates_never_panic() {
    let handle = std::thread::Builder::new()
        .stack_size(4 * 1024 * 1024)
        .spawn(|| {
            let seeds = seeds();
            let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
            let mut failures = Vec::new();
            let mut parsed = 0;
            for i in 0..10_000 {
                let text = if i % 2 == 0 {
                    let n = 1 + rng.below(30);
                    (0..n)
                        .map(|_| TOKENS[rng.below(TOKENS.len())])
                        .collect::<String>()
                } else {
                    // Mutate a real case: delete, duplicate or insert at a char boundary.
                    let mut s: Vec<char> = seeds[rng.below(seeds.len())].chars().collect();
                    for _ in 0..1 + rng.below(3) {
                        let at = rng.below(s.len() + 1);
                        match rng.below(3) {
                            0 if at < s.len() => {
                                s.remove(at);
                            }
                            1 if at < s.len() => {
                                let c = s[at];
                                s.insert(at, c);
                            }
                            _ => {
                                let tok: Vec<char> =
                                    TOKENS[rng.below(TOKENS.len())].chars().collect();
                                s.splice(at..at, tok);
                            }
                        }
                    }
                    s.into_iter().collect()
                };
                if TemplateSet::new("r").parse("t", &text).is_ok() {
                    parsed += 1;
                }
                if let Err(e) = check(&text) {
                    failures.push(e);
                }
            }
            (failures, parsed)
        })
        .unwrap();
    let (failures, parsed) = handle.join().expect("no stack overflow or abort");
    assert!(
        failures.is_empty(),
        "{} templates panicked, first: {}",
        failures.len(),
        failures[0]
    );
    // The generator must exercise the executor, not only the parser's error paths.
    assert!(
        parsed > 1_000,
        "only {parsed} of 10000 random templates parsed"
    );
}
