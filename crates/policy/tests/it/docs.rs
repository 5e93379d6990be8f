//! Every rule is documented, with a unique id and name.

use std::collections::BTreeSet;

use policy::{Level, rules};

#[test]
fn every_rule_has_complete_docs_and_a_unique_id_and_name() {
    let all = rules();
    assert!(all.len() >= 36, "{} rules", all.len());
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for r in all {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        let parts: Vec<&str> = r.id.split('-').collect();
        assert!(
            parts.len() == 3
                && parts[0] == "CK"
                && parts[1].chars().all(|c| c.is_ascii_uppercase())
                && parts[2].len() == 3
                && parts[2].chars().all(|c| c.is_ascii_digit()),
            "bad id {}",
            r.id
        );
        assert!(
            !r.name.is_empty()
                && r.name.split('-').all(|w| !w.is_empty()
                    && w.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())),
            "bad kebab name {}",
            r.name
        );
        for (what, text) in [
            ("summary", r.summary),
            ("why", r.why),
            ("example", r.example),
            ("fix", r.fix),
        ] {
            assert!(
                text.trim().len() >= 20,
                "{} has a too short {what}: {text:?}",
                r.id
            );
        }
    }
    let ids: Vec<&str> = all.iter().map(|r| r.id).collect();
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted, "rules() is in id order");
    let off: Vec<&str> = all
        .iter()
        .filter(|r| r.default_severity == Level::Off)
        .map(|r| r.id)
        .collect();
    assert_eq!(off, ["CK-IMG-003", "CK-RES-003"]);
}
