//! The output sink, optionally recording which template node wrote each span.

use std::sync::Arc;

/// One recorded span of output: bytes `start..end` were written by the node at byte `offset` of
/// the file (top-level template) `file`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OutputSpan {
    /// Start of the span in the output.
    pub start: usize,
    /// End of the span in the output.
    pub end: usize,
    /// The file whose text holds the node.
    pub file: Arc<str>,
    /// Byte offset of the node in that file.
    pub offset: usize,
}

/// Where execution writes. With provenance on, every write records an [`OutputSpan`].
#[derive(Debug, Default)]
pub struct Output {
    buf: String,
    spans: Option<Vec<OutputSpan>>,
}

impl Output {
    /// A sink without provenance.
    pub fn new() -> Output {
        Output::default()
    }

    /// A sink that records provenance.
    pub fn with_provenance() -> Output {
        Output {
            buf: String::new(),
            spans: Some(Vec::new()),
        }
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.buf.len()
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    /// The text written so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }

    /// The recorded spans (empty without provenance).
    pub fn spans(&self) -> &[OutputSpan] {
        self.spans.as_deref().unwrap_or_default()
    }

    /// Appends `s`, written by the node at `offset` of `file`.
    pub fn write(&mut self, s: &str, file: &Arc<str>, offset: usize) {
        if s.is_empty() {
            return;
        }
        let start = self.buf.len();
        self.buf.push_str(s);
        if let Some(spans) = &mut self.spans {
            spans.push(OutputSpan {
                start,
                end: self.buf.len(),
                file: file.clone(),
                offset,
            });
        }
    }

    /// The output.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// The output and the spans.
    pub fn into_parts(self) -> (String, Vec<OutputSpan>) {
        (self.buf, self.spans.unwrap_or_default())
    }
}
