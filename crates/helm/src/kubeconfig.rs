//! The namespace `helm template` falls back to without `-n` and `HELM_NAMESPACE`: the current
//! context's namespace in the kubeconfig, merged as client-go merges `KUBECONFIG` lists (the first
//! file that sets `current-context` wins, and so does the first file that defines a context).
//! Unreadable or malformed files are skipped, as Helm does; no namespace means `default`.
//!
//! No IO: the caller reads the files (`--kubeconfig`, else each `KUBECONFIG` entry, else
//! `~/.kube/config`).

use gotmpl::Value;

/// The namespace of the current context (or of `context`, `--kube-context`, when given) in the
/// kubeconfig texts, in `KUBECONFIG` order.
pub fn namespace(texts: &[String], context: Option<&str>) -> Option<String> {
    let docs: Vec<gotmpl::Map> = texts
        .iter()
        .filter_map(|t| crate::yaml::load_map(t).ok())
        .collect();
    let current = match context.filter(|c| !c.is_empty()) {
        Some(c) => c.to_string(),
        None => docs.iter().find_map(|d| match d.get("current-context") {
            Some(Value::String(s)) if !s.is_empty() => Some(s.to_string()),
            _ => None,
        })?,
    };
    for d in &docs {
        let Some(Value::List(contexts)) = d.get("contexts") else {
            continue;
        };
        for c in contexts.iter() {
            let Value::Map(c) = c else { continue };
            if !matches!(c.get("name"), Some(Value::String(n)) if n.as_ref() as &str == current) {
                continue;
            }
            // The first file that defines the context decides.
            return match c.get("context") {
                Some(Value::Map(ctx)) => match ctx.get("namespace") {
                    Some(Value::String(ns)) if !ns.is_empty() => Some(ns.to_string()),
                    _ => None,
                },
                _ => None,
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::namespace;

    const K1: &str = "current-context: dev\ncontexts:\n- name: dev\n  context:\n    namespace: from-k1\n- name: other\n  context:\n    namespace: other-ns\n";
    const K2: &str =
        "current-context: other\ncontexts:\n- name: dev\n  context:\n    namespace: k2-dev\n";

    #[test]
    fn current_context_and_contexts_merge_first_wins() {
        let t = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(namespace(&t(&[K1]), None).as_deref(), Some("from-k1"));
        // K2 names the current context, K1 defines it.
        assert_eq!(namespace(&t(&[K2, K1]), None).as_deref(), Some("other-ns"));
        assert_eq!(namespace(&t(&[K1, K2]), None).as_deref(), Some("from-k1"));
        // --kube-context overrides; an unknown context has no namespace.
        assert_eq!(
            namespace(&t(&[K1]), Some("other")).as_deref(),
            Some("other-ns")
        );
        assert_eq!(namespace(&t(&[K1]), Some("nope")), None);
        // Malformed files are skipped.
        assert_eq!(
            namespace(&t(&["::: bad\n", K1]), None).as_deref(),
            Some("from-k1")
        );
        assert_eq!(namespace(&t(&[]), None), None);
    }
}
