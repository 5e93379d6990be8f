//! Helm's `.helmignore` rules.
//!
//! The file holds one rule per line; lines are split on `\n` (a `\r` before it is dropped),
//! trimmed of whitespace, and blank lines and lines starting with `#` are skipped. A rule is a Go
//! `filepath.Match` pattern ([`crate::glob::filepath_match`]):
//!
//! * a rule containing `**` anywhere fails the whole file with
//!   `double-star (**) syntax is not supported`; a rule `filepath.Match` rejects when Helm tries
//!   it on the name `abc` fails it with `syntax error in pattern` (Go only checks the part of
//!   the pattern matching gets to, so `a*[` fails but `x*[` passes; such a rule then simply
//!   never matches a path that reaches the broken part);
//! * a leading `!` negates the rule — the way Helm does it, which is broken: a negated rule
//!   ignores every path it does **not** match (and a negated directory rule, `!dir/`, ignores
//!   every file), and a path it matches goes on to the next rule;
//! * a trailing `/` restricts the rule to directories;
//! * a rule starting with `/` is matched against the whole relative path without the `/`
//!   (Helm strips one more leading `/` each time the rule is evaluated, so `//a` only starts
//!   matching `a` from its second evaluation on; [`Rules`] keeps that counter too);
//! * another rule containing `/` is matched against the whole relative path (`docs/*.txt`);
//! * a rule without `/` is matched against the base name of the path (`*.log` ignores
//!   `a/b/c.log`).
//!
//! Rules are evaluated in order and the first one that ignores the path wins. After the file's
//! rules Helm always appends `templates/.?*`. The `.helmignore` file itself is not ignored unless
//! a rule says so.
//!
//! The chart loader walks the chart directory in lexical order, asks [`Rules::ignored`] about
//! every directory and file below the root (with its `/`-separated path relative to the root),
//! and skips the whole subtree of an ignored directory.

use std::sync::atomic::{AtomicUsize, Ordering};

use crate::glob::filepath_match;

/// The name of the ignore file in a chart's root directory.
pub const HELM_IGNORE: &str = ".helmignore";

/// The rule Helm appends to every rule set.
pub const DEFAULT_RULE: &str = "templates/.?*";

/// A parsed `.helmignore`, with the default rule appended.
#[derive(Debug)]
pub struct Rules {
    rules: Vec<Rule>,
}

/// How a rule is matched against a path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// The rule started with `/`: match the whole path, dropping one more leading `/` from the
    /// rule at every evaluation.
    Anchored,
    /// The rule contains `/`: match the whole path.
    Path,
    /// Match the base name of the path.
    Basename,
}

#[derive(Debug)]
struct Rule {
    /// The rule as written (trimmed).
    raw: String,
    /// The pattern, without `!` and the trailing `/`.
    pattern: String,
    negate: bool,
    must_dir: bool,
    kind: Kind,
    /// For [`Kind::Anchored`]: how many times the rule has been evaluated.
    evaluations: AtomicUsize,
}

impl Clone for Rule {
    fn clone(&self) -> Self {
        Rule {
            raw: self.raw.clone(),
            pattern: self.pattern.clone(),
            negate: self.negate,
            must_dir: self.must_dir,
            kind: self.kind,
            evaluations: AtomicUsize::new(self.evaluations.load(Ordering::Relaxed)),
        }
    }
}

impl Clone for Rules {
    fn clone(&self) -> Self {
        Rules {
            rules: self.rules.clone(),
        }
    }
}

impl Default for Rules {
    /// The rules of a chart without `.helmignore`: only [`DEFAULT_RULE`].
    fn default() -> Self {
        let mut rules = Rules { rules: Vec::new() };
        rules
            .add(DEFAULT_RULE)
            .expect("the default rule is well-formed");
        rules
    }
}

impl Rules {
    /// Parses the text of a `.helmignore` file and appends [`DEFAULT_RULE`]. The error is
    /// Helm's message (without the `Error: ` prefix `helm` prints).
    pub fn parse(text: &str) -> Result<Rules, String> {
        let mut rules = Rules { rules: Vec::new() };
        let mut rest = text;
        while !rest.is_empty() {
            let (line, next) = match rest.find('\n') {
                Some(i) => (&rest[..i], &rest[i + 1..]),
                None => (rest, ""),
            };
            rest = next;
            rules.add(line.strip_suffix('\r').unwrap_or(line))?;
        }
        rules.add(DEFAULT_RULE)?;
        Ok(rules)
    }

    /// The rules as written (trimmed, in order), the default rule last.
    pub fn raw_rules(&self) -> impl Iterator<Item = &str> {
        self.rules.iter().map(|r| r.raw.as_str())
    }

    fn add(&mut self, line: &str) -> Result<(), String> {
        let raw = line.trim();
        if raw.is_empty() || raw.starts_with('#') {
            return Ok(());
        }
        if raw.contains("**") {
            return Err("double-star (**) syntax is not supported".into());
        }
        filepath_match(raw, "abc").map_err(|e| e.to_string())?;
        let (negate, rule) = match raw.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, raw),
        };
        let (must_dir, rule) = match rule.strip_suffix('/') {
            Some(rest) => (true, rest),
            None => (false, rule),
        };
        let kind = if rule.starts_with('/') {
            Kind::Anchored
        } else if rule.contains('/') {
            Kind::Path
        } else {
            Kind::Basename
        };
        self.rules.push(Rule {
            raw: raw.to_string(),
            pattern: rule.to_string(),
            negate,
            must_dir,
            kind,
            evaluations: AtomicUsize::new(0),
        });
        Ok(())
    }

    /// Whether the file or directory at `rel_path` (relative to the chart root, `/`-separated)
    /// is ignored. The root itself (`""`, `"."`, `"./"`) never is.
    pub fn ignored(&self, rel_path: &str, is_dir: bool) -> bool {
        if matches!(rel_path, "" | "." | "./") {
            return false;
        }
        for rule in &self.rules {
            if rule.negate {
                if rule.must_dir && !is_dir {
                    return true;
                }
                if !rule.matches(rel_path) {
                    return true;
                }
                continue;
            }
            if rule.must_dir && !is_dir {
                continue;
            }
            if rule.matches(rel_path) {
                return true;
            }
        }
        false
    }
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        let result = match self.kind {
            Kind::Anchored => {
                let n = self.evaluations.fetch_add(1, Ordering::Relaxed) + 1;
                let mut pattern = self.pattern.as_str();
                for _ in 0..n {
                    match pattern.strip_prefix('/') {
                        Some(p) => pattern = p,
                        None => break,
                    }
                }
                filepath_match(pattern, path)
            }
            Kind::Path => filepath_match(&self.pattern, path),
            Kind::Basename => filepath_match(&self.pattern, base_name(path)),
        };
        // Helm logs a pattern that fails here and treats it as no match.
        result.unwrap_or(false)
    }
}

/// Go's `filepath.Base` for a non-empty `/`-separated path.
fn base_name(path: &str) -> &str {
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() {
        return "/";
    }
    match trimmed.rfind('/') {
        Some(i) => &trimmed[i + 1..],
        None => trimmed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(text: &str) -> Rules {
        Rules::parse(text).unwrap()
    }

    #[test]
    fn basename_and_path_rules() {
        let r = rules("*.log\ndocs/*.txt\n");
        assert!(r.ignored("a.log", false));
        assert!(r.ignored("x/y/a.log", false));
        assert!(r.ignored("docs/a.txt", false));
        assert!(!r.ignored("docs/sub/a.txt", false));
        assert!(!r.ignored("a.txt", false));
    }

    #[test]
    fn anchored_and_directories() {
        let r = rules("/a.txt\ndocs/\n");
        assert!(r.ignored("a.txt", false));
        assert!(!r.ignored("x/a.txt", false));
        assert!(r.ignored("docs", true));
        assert!(r.ignored("x/docs", true));
        assert!(!r.ignored("docs", false));
    }

    #[test]
    fn double_slash_anchor_starts_matching_on_second_evaluation() {
        let r = rules("//a.txt\n");
        assert!(!r.ignored("a.txt", false));
        assert!(r.ignored("a.txt", false));
    }

    #[test]
    fn broken_negation() {
        let r = rules("!a.txt\n");
        assert!(!r.ignored("a.txt", false));
        assert!(r.ignored("Chart.yaml", false));
        let r = rules("!docs/\n");
        assert!(r.ignored("a.txt", false));
        assert!(!r.ignored("docs", true));
        assert!(r.ignored("other", true));
    }

    #[test]
    fn comments_blanks_whitespace_crlf() {
        let r = rules("# *.txt\r\n\r\n   *.md  \r\n\t\n");
        assert_eq!(r.raw_rules().collect::<Vec<_>>(), ["*.md", "templates/.?*"]);
        assert!(r.ignored("README.md", false));
        assert!(!r.ignored("a.txt", false));
    }

    #[test]
    fn errors() {
        assert_eq!(
            Rules::parse("a/**/b").unwrap_err(),
            "double-star (**) syntax is not supported"
        );
        assert_eq!(Rules::parse("[").unwrap_err(), "syntax error in pattern");
        assert_eq!(
            Rules::parse("ok\n!\\").unwrap_err(),
            "syntax error in pattern"
        );
        assert!(Rules::parse("# **").is_ok());
    }

    #[test]
    fn default_rule() {
        let r = Rules::default();
        assert!(r.ignored("templates/.hidden", false));
        assert!(r.ignored("templates/.d", true));
        assert!(!r.ignored("templates/.", false));
        assert!(!r.ignored("templates/x/.hidden", false));
        assert!(!r.ignored(".hidden", false));
        assert!(!r.ignored("", true));
        assert!(!r.ignored(".", true));
    }
}
