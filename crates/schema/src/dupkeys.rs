//! CK-SCHEMA-003: duplicate mapping keys, found on the YAML event stream (the decoded
//! [`goyaml::Node`] keeps only the last value, as Helm and the API server do).

use std::collections::HashMap;

use libyaml_safer::{EventData, Parser};

use crate::{Finding, Severity, rules};

enum Frame {
    Map {
        /// key → (line, column) of its first occurrence
        seen: HashMap<String, (u32, u32)>,
        /// the key whose value comes next (`None`: a key comes next)
        key: Option<String>,
    },
    Seq(usize),
}

/// The duplicate keys of every mapping in `doc_text` (one YAML document, or a stream: pointers
/// are relative to each document), in text order. Keys compare by their scalar text (`a`, `"a"`
/// and `'a'` are the same key). Merge keys (`<<`) and collection keys are ignored. Text that does
/// not parse yields the duplicates found before the error.
pub fn duplicate_keys(doc_text: &str) -> Vec<Finding> {
    // libyaml-safer panics on a block scalar that ends the input without a line break (C libyaml
    // reads it); a final newline changes no position.
    let owned;
    let doc_text = if doc_text.ends_with('\n') {
        doc_text
    } else {
        owned = format!("{doc_text}\n");
        &owned
    };
    let mut input = doc_text.as_bytes();
    let mut parser = Parser::new();
    parser.set_input_string(&mut input);
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // path segments of the open collections (the key or index leading to each)
    let mut path: Vec<String> = Vec::new();
    let mut depth_of_non_string_key = 0usize;
    while let Ok(ev) = parser.parse() {
        let (line, column) = (
            ev.start_mark.line as u32 + 1,
            ev.start_mark.column as u32 + 1,
        );
        let opens = matches!(
            ev.data,
            EventData::MappingStart { .. } | EventData::SequenceStart { .. }
        );
        match ev.data {
            EventData::StreamEnd => break,
            EventData::DocumentStart { .. } => {
                stack.clear();
                path.clear();
            }
            EventData::MappingEnd | EventData::SequenceEnd => {
                stack.pop();
                if depth_of_non_string_key > 0 {
                    depth_of_non_string_key -= 1;
                    if depth_of_non_string_key == 0 {
                        // the collection used as a key is done: its value comes next
                        if let Some(Frame::Map { key, .. }) = stack.last_mut() {
                            *key = Some(String::new());
                        }
                    }
                    continue;
                }
                path.pop();
                finish_value(&mut stack, &mut path);
            }
            EventData::Scalar { ref value, .. } | EventData::Alias { anchor: ref value } => {
                if depth_of_non_string_key > 0 {
                    continue;
                }
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None, .. }));
                if is_key {
                    let name = match ev.data {
                        EventData::Scalar { ref value, .. } => Some(value.clone()),
                        _ => None,
                    };
                    let Some(Frame::Map { seen, key }) = stack.last_mut() else {
                        unreachable!("checked above")
                    };
                    match name {
                        Some(name) if name != "<<" => {
                            if let Some(&(l, c)) = seen.get(&name) {
                                let parent = pointer(&path);
                                let dotted = dotted(&path);
                                out.push(Finding {
                                    rule: rules::DUPLICATE_KEY,
                                    severity: Severity::Error,
                                    pointer: format!("{parent}/{}", escape(&name)),
                                    message: format!(
                                        "{}duplicate key {name:?} (first at line {l}, column {c}; the last value wins)",
                                        if dotted.is_empty() { String::new() } else { format!("{dotted}: ") }
                                    ),
                                    line,
                                    column,
                                });
                            } else {
                                seen.insert(name.clone(), (line, column));
                            }
                            *key = Some(name);
                        }
                        _ => *key = Some(String::new()),
                    }
                } else {
                    let _ = value;
                    finish_value(&mut stack, &mut path);
                }
            }
            EventData::MappingStart { .. } | EventData::SequenceStart { .. } => {
                if depth_of_non_string_key > 0 {
                    depth_of_non_string_key += 1;
                    continue;
                }
                if matches!(stack.last(), Some(Frame::Map { key: None, .. })) {
                    // a collection used as a key
                    depth_of_non_string_key = 1;
                    continue;
                }
                let segment = match stack.last() {
                    Some(Frame::Map { key: Some(k), .. }) => k.clone(),
                    Some(Frame::Seq(i)) => i.to_string(),
                    _ => String::new(),
                };
                if !stack.is_empty() {
                    path.push(segment);
                }
                if opens {
                    stack.push(match ev.data {
                        EventData::MappingStart { .. } => Frame::Map {
                            seen: HashMap::new(),
                            key: None,
                        },
                        _ => Frame::Seq(0),
                    });
                }
                if stack.len() == 1 {
                    path.clear();
                }
            }
            _ => {}
        }
    }
    out
}

/// A value of the innermost collection is complete.
fn finish_value(stack: &mut [Frame], _path: &mut [String]) {
    match stack.last_mut() {
        Some(Frame::Map { key, .. }) => *key = None,
        Some(Frame::Seq(i)) => *i += 1,
        None => {}
    }
}

fn escape(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn pointer(path: &[String]) -> String {
    path.iter().map(|p| format!("/{}", escape(p))).collect()
}

fn dotted(path: &[String]) -> String {
    let mut out = String::new();
    for p in path {
        if !p.is_empty() && p.bytes().all(|c| c.is_ascii_digit()) {
            out.push_str(&format!("[{p}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(p);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_duplicates_with_positions() {
        let text = "a: 1\nb:\n  c: 1\n  c: 2\nlist:\n- x: 1\n  'x': 2\na: 3\n";
        let f = duplicate_keys(text);
        let got: Vec<_> = f
            .iter()
            .map(|f| (f.pointer.as_str(), f.line, f.column))
            .collect();
        assert_eq!(got, [("/b/c", 4, 3), ("/list/0/x", 7, 3), ("/a", 8, 1)]);
        assert_eq!(
            f[0].message,
            "b: duplicate key \"c\" (first at line 3, column 3; the last value wins)"
        );
        assert_eq!(f[1].message.split(':').next(), Some("list[0]"));
        assert!(f.iter().all(|f| f.rule == "CK-SCHEMA-003"));
    }

    #[test]
    fn no_false_positives() {
        let text = "a:\n  x: 1\nb:\n  x: 1\nc: [{x: 1}, {x: 2}]\n? [k]\n: v\n? [k]\n: w\n<<: {}\n";
        assert_eq!(duplicate_keys(text), []);
        assert_eq!(duplicate_keys("a: [\n"), []);
    }

    #[test]
    fn a_block_scalar_at_the_end_without_a_newline() {
        let f = duplicate_keys("a: 1\na: |\n  text");
        assert_eq!(f.len(), 1);
        assert_eq!((f[0].pointer.as_str(), f[0].line), ("/a", 2));
    }
}
