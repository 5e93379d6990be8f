//! Line diffs: Myers' O(ND) shortest edit script, printed as unified-diff hunks.

/// One line of an edit script.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// The line is in both texts (old index, new index).
    Keep(usize, usize),
    /// The old line was removed.
    Delete(usize),
    /// The new line was inserted.
    Insert(usize),
}

/// The shortest edit script turning `old` into `new` (Myers 1986, linear in memory per step).
/// Deletions come before insertions within a change.
pub fn edits<T: PartialEq>(old: &[T], new: &[T]) -> Vec<Edit> {
    let (n, m) = (old.len(), new.len());
    let max = n + m;
    let offset = max as isize + 1;
    let mut v = vec![0isize; 2 * max + 3];
    // The V array after each step d, to walk the path back.
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let mut found = max == 0;
    for d in 0..=max as isize {
        if found {
            break;
        }
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let idx = (k + offset) as usize;
            let mut x = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
                v[idx + 1]
            } else {
                v[idx - 1] + 1
            };
            let mut y = x - k;
            while (x as usize) < n && (y as usize) < m && old[x as usize] == new[y as usize] {
                x += 1;
                y += 1;
            }
            v[idx] = x;
            if x as usize >= n && y as usize >= m {
                found = true;
                break;
            }
            k += 2;
        }
    }
    // Walk back from (n, m).
    let mut out = Vec::new();
    let (mut x, mut y) = (n as isize, m as isize);
    for d in (0..trace.len() as isize).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let idx = (k + offset) as usize;
        let prev_k = if k == -d || (k != d && v[idx - 1] < v[idx + 1]) {
            k + 1
        } else {
            k - 1
        };
        let prev_x = v[(prev_k + offset) as usize];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            x -= 1;
            y -= 1;
            out.push(Edit::Keep(x as usize, y as usize));
        }
        if d > 0 {
            if x == prev_x {
                y -= 1;
                out.push(Edit::Insert(y as usize));
            } else {
                x -= 1;
                out.push(Edit::Delete(x as usize));
            }
        }
        x = prev_x;
        y = prev_y;
    }
    while x > 0 && y > 0 {
        x -= 1;
        y -= 1;
        out.push(Edit::Keep(x as usize, y as usize));
    }
    out.reverse();
    // Within each run of changes, deletions first (the usual unified-diff reading order).
    let mut i = 0;
    while i < out.len() {
        if matches!(out[i], Edit::Keep(..)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < out.len() && !matches!(out[i], Edit::Keep(..)) {
            i += 1;
        }
        out[start..i].sort_by_key(|e| match e {
            Edit::Delete(x) => (0, *x),
            Edit::Insert(y) => (1, *y),
            Edit::Keep(..) => (2, 0),
        });
    }
    out
}

/// How to print a unified diff.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Style {
    /// ANSI colours (red removals, green additions, cyan hunk headers).
    pub color: bool,
}

const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";
const RESET: &str = "\x1b[0m";

/// A unified diff of two texts (lines split after `\n`) with `context` lines around each change,
/// without the `---`/`+++` header. Empty when the texts are equal. A last line without a newline
/// is marked `\ No newline at end of file`, as `diff -u` does.
pub fn unified(old: &str, new: &str, context: usize, style: Style) -> String {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let script = edits(&a, &b);
    if script.iter().all(|e| matches!(e, Edit::Keep(..))) {
        return String::new();
    }
    // Group the script into hunks: changes closer than 2*context share a hunk.
    let changed: Vec<usize> = script
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e, Edit::Keep(..)))
        .map(|(i, _)| i)
        .collect();
    let mut hunks: Vec<(usize, usize)> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(context);
        let end = (i + context + 1).min(script.len());
        match hunks.last_mut() {
            Some(last) if start <= last.1 => last.1 = end,
            _ => hunks.push((start, end)),
        }
    }
    let mut out = String::new();
    let paint = |s: &str, color: &str| -> String {
        if style.color {
            format!("{color}{s}{RESET}")
        } else {
            s.to_string()
        }
    };
    for (start, end) in hunks {
        let slice = &script[start..end];
        let old_start = slice.iter().find_map(|e| match e {
            Edit::Keep(x, _) | Edit::Delete(x) => Some(*x),
            Edit::Insert(_) => None,
        });
        let new_start = slice.iter().find_map(|e| match e {
            Edit::Keep(_, y) | Edit::Insert(y) => Some(*y),
            Edit::Delete(_) => None,
        });
        let old_len = slice
            .iter()
            .filter(|e| matches!(e, Edit::Keep(..) | Edit::Delete(_)))
            .count();
        let new_len = slice
            .iter()
            .filter(|e| matches!(e, Edit::Keep(..) | Edit::Insert(_)))
            .count();
        // `diff -u` numbers an empty range by the line before it.
        let range = |s: Option<usize>, len: usize, before: usize| -> String {
            let first = match s {
                Some(x) => x + 1,
                None => before,
            };
            if len == 1 {
                format!("{first}")
            } else {
                format!("{},{len}", if len == 0 { before } else { first })
            }
        };
        let old_before = script[..start]
            .iter()
            .filter(|e| matches!(e, Edit::Keep(..) | Edit::Delete(_)))
            .count();
        let new_before = script[..start]
            .iter()
            .filter(|e| matches!(e, Edit::Keep(..) | Edit::Insert(_)))
            .count();
        out.push_str(&paint(
            &format!(
                "@@ -{} +{} @@",
                range(old_start, old_len, old_before),
                range(new_start, new_len, new_before)
            ),
            CYAN,
        ));
        out.push('\n');
        for e in slice {
            let (mark, line, color) = match *e {
                Edit::Keep(x, _) => (' ', a[x], ""),
                Edit::Delete(x) => ('-', a[x], RED),
                Edit::Insert(y) => ('+', b[y], GREEN),
            };
            let body = line.strip_suffix('\n').unwrap_or(line);
            let text = format!("{mark}{body}");
            if color.is_empty() {
                out.push_str(&text);
            } else {
                out.push_str(&paint(&text, color));
            }
            out.push('\n');
            if !line.ends_with('\n') {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(old: &[&str], new: &[&str], script: &[Edit]) -> Vec<String> {
        let mut out = Vec::new();
        for e in script {
            match *e {
                Edit::Keep(x, y) => {
                    assert_eq!(old[x], new[y]);
                    out.push(old[x].to_string());
                }
                Edit::Insert(y) => out.push(new[y].to_string()),
                Edit::Delete(_) => {}
            }
        }
        out
    }

    #[test]
    fn scripts_rebuild_the_new_text_and_are_minimal() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "", 0),
            ("a", "", 1),
            ("", "a b", 2),
            ("a b c a b b a", "c b a b a c", 5),
            ("a b c", "a b c", 0),
            ("x a b", "a b y", 2),
        ];
        for (o, n, changes) in cases {
            let old: Vec<&str> = o.split_whitespace().collect();
            let new: Vec<&str> = n.split_whitespace().collect();
            let script = edits(&old, &new);
            assert_eq!(apply(&old, &new, &script), new, "{o} -> {n}");
            let count = script
                .iter()
                .filter(|e| !matches!(e, Edit::Keep(..)))
                .count();
            assert_eq!(count, *changes, "{o} -> {n}: {script:?}");
        }
    }

    #[test]
    fn unified_hunks_look_like_diff_u() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\ni\nj\n";
        let new = "a\nb\nC\nd\ne\nf\ng\nh\ni\nj\nk\n";
        let d = unified(old, new, 1, Style::default());
        assert_eq!(
            d,
            "@@ -2,3 +2,3 @@\n b\n-c\n+C\n d\n@@ -10 +10,2 @@\n j\n+k\n"
        );
        assert_eq!(unified(old, old, 3, Style::default()), "");
        let d = unified("x\n", "x", 3, Style::default());
        assert_eq!(d, "@@ -1 +1 @@\n-x\n+x\n\\ No newline at end of file\n");
        let d = unified("", "new\n", 3, Style::default());
        assert_eq!(d, "@@ -0,0 +1 @@\n+new\n");
        let colored = unified("a\n", "b\n", 0, Style { color: true });
        assert!(colored.contains("\x1b[31m-a\x1b[0m") && colored.contains("\x1b[32m+b\x1b[0m"));
    }
}
