//! Reading parsed documents: lookups that tolerate any shape, and JSON pointers.

use goyaml::{Node, NodeValue};

/// `node[key]` when `node` is a mapping.
pub(crate) fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match &node.value {
        NodeValue::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
        _ => None,
    }
}

/// `node[k0][k1]...`.
pub(crate) fn path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |n, k| get(n, k))
}

/// The string of a string node.
pub(crate) fn str_of(node: &Node) -> Option<&str> {
    match &node.value {
        NodeValue::String(s) => Some(s),
        _ => None,
    }
}

/// The text of a scalar: strings as they are, numbers as `toYaml` writes them, booleans as
/// `true`/`false`.
pub(crate) fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        NodeValue::String(s) => Some(s.clone()),
        NodeValue::Float(f) => goyaml::number_text(*f).ok(),
        NodeValue::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The number of a number node.
pub(crate) fn num_of(node: &Node) -> Option<f64> {
    match node.value {
        NodeValue::Float(f) => Some(f),
        _ => None,
    }
}

/// The boolean of a boolean node.
pub(crate) fn bool_of(node: &Node) -> Option<bool> {
    match node.value {
        NodeValue::Bool(b) => Some(b),
        _ => None,
    }
}

/// The entries of a mapping node (empty for anything else).
pub(crate) fn entries(node: &Node) -> &[(goyaml::Key, Node)] {
    match &node.value {
        NodeValue::Map(entries) => entries,
        _ => &[],
    }
}

/// The items of a sequence node (empty for anything else).
pub(crate) fn items(node: &Node) -> &[Node] {
    match &node.value {
        NodeValue::Seq(items) => items,
        _ => &[],
    }
}

/// Escapes one reference token of a JSON pointer (RFC 6901): `~` → `~0`, `/` → `~1`.
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base` + `/` + the escaped `token`.
pub(crate) fn join(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_pointer_token(token))
}

/// `base` + every escaped token.
pub(crate) fn join_all(base: &str, tokens: &[&str]) -> String {
    tokens.iter().fold(base.to_string(), |p, t| join(&p, t))
}

/// Follows a JSON pointer into `node` as far as it exists: the deepest node reached and
/// whether the whole pointer resolved. A finding about a missing field points below the
/// deepest existing node; this is where its template line is.
pub fn locate<'a>(node: &'a Node, pointer: &str) -> (&'a Node, bool) {
    let mut cur = node;
    if pointer.is_empty() {
        return (cur, true);
    }
    for raw in pointer.trim_start_matches('/').split('/') {
        let token = raw.replace("~1", "/").replace("~0", "~");
        let next = match &cur.value {
            NodeValue::Map(_) => get(cur, &token),
            NodeValue::Seq(items) => token.parse::<usize>().ok().and_then(|i| items.get(i)),
            _ => None,
        };
        match next {
            Some(n) => cur = n,
            None => return (cur, false),
        }
    }
    (cur, true)
}

/// Structural equality without positions, mapping key order ignored.
pub(crate) fn same(a: &Node, b: &Node) -> bool {
    fn sorted(v: goyaml::Yaml) -> goyaml::Yaml {
        match v {
            goyaml::Yaml::Map(mut entries) => {
                entries.sort_by(|x, y| x.0.cmp(&y.0));
                goyaml::Yaml::Map(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
            }
            goyaml::Yaml::Seq(items) => goyaml::Yaml::Seq(items.into_iter().map(sorted).collect()),
            other => other,
        }
    }
    sorted(a.to_yaml()) == sorted(b.to_yaml())
}
