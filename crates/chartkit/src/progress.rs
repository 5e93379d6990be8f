//! A one-line progress bar on stderr, drawn only when stderr is a terminal.

use std::io::{IsTerminal, Write};

/// Width of the bar in cells.
const WIDTH: usize = 24;

/// Progress over a known number of steps.
pub struct Progress {
    total: usize,
    done: usize,
    enabled: bool,
}

impl Progress {
    /// A bar over `total` steps, drawn when stderr is a terminal and there is more than one
    /// step.
    pub fn new(total: usize) -> Progress {
        Progress {
            total,
            done: 0,
            enabled: total > 1 && std::io::stderr().is_terminal(),
        }
    }

    /// Marks one more step done (`label` names it) and redraws.
    pub fn step(&mut self, label: &str) {
        self.done = (self.done + 1).min(self.total);
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K{}", bar(self.done, self.total, label));
            let _ = err.flush();
        }
    }

    /// Clears the bar.
    pub fn finish(&mut self) {
        if self.enabled {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r\x1b[2K");
            let _ = err.flush();
            self.enabled = false;
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The bar's text: `[=========>      ] 3/8 label`.
fn bar(done: usize, total: usize, label: &str) -> String {
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    let mut cells = "=".repeat(filled);
    if filled < WIDTH {
        cells.push('>');
        cells.push_str(&" ".repeat(WIDTH - filled - 1));
    }
    format!("[{cells}] {done}/{total} {label}")
}

#[cfg(test)]
mod tests {
    use super::bar;

    #[test]
    fn bar_fills_in_proportion() {
        assert_eq!(bar(0, 4, "a"), format!("[>{}] 0/4 a", " ".repeat(23)));
        assert_eq!(
            bar(2, 4, "b"),
            format!("[{}>{}] 2/4 b", "=".repeat(12), " ".repeat(11))
        );
        assert_eq!(bar(4, 4, "c"), format!("[{}] 4/4 c", "=".repeat(24)));
    }
}
