//! Errors, printed exactly as Go's `text/template` prints them.
//!
//! * parse: `template: NAME:LINE: MESSAGE`
//! * execution at a node: `template: FILE:LINE:COL: executing "NAME" at <CONTEXT>: MESSAGE`
//! * execution with no node: `template: NAME: MESSAGE`
//!
//! Helm takes these strings apart again, so the structured parts are kept as well.

use std::fmt;

/// What failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The template text does not parse.
    Parse,
    /// Execution failed.
    Exec,
    /// Go's runtime panicked during execution (a bug in that Go release that a template can
    /// trigger); Helm reports these as `rendering template failed: MESSAGE`.
    Panic,
}

/// Where an execution error happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecLocation {
    /// The name of the file (top-level template) the failing node was parsed in.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 0-based byte column, as Go reports it.
    pub col: usize,
    /// Byte offset of the node in the file's text.
    pub offset: usize,
    /// The failing node printed back (`.Values.a.b`, `include "x" .`).
    pub context: String,
}

/// A template error.
#[derive(Clone, Debug)]
pub struct Error {
    inner: Box<Inner>,
}

#[derive(Clone, Debug)]
struct Inner {
    kind: ErrorKind,
    /// Parse: the parse name; exec: the executing template's name.
    name: String,
    /// Parse errors: the line.
    line: Option<usize>,
    location: Option<ExecLocation>,
    message: String,
    /// For `error calling F: ...`: the function's name.
    func: Option<String>,
    /// The template error a function (such as `include`) failed with.
    source: Option<Error>,
}

impl Error {
    pub(crate) fn parse(name: &str, line: usize, message: String) -> Error {
        Error {
            inner: Box::new(Inner {
                kind: ErrorKind::Parse,
                name: name.to_string(),
                line: Some(line),
                location: None,
                message,
                func: None,
                source: None,
            }),
        }
    }

    pub(crate) fn exec(name: &str, location: Option<ExecLocation>, message: String) -> Error {
        Error {
            inner: Box::new(Inner {
                kind: ErrorKind::Exec,
                name: name.to_string(),
                line: None,
                location,
                message,
                func: None,
                source: None,
            }),
        }
    }

    pub(crate) fn panic(message: String) -> Error {
        Error {
            inner: Box::new(Inner {
                kind: ErrorKind::Panic,
                name: String::new(),
                line: None,
                location: None,
                message,
                func: None,
                source: None,
            }),
        }
    }

    pub(crate) fn with_func(mut self, func: &str, source: Option<Error>) -> Error {
        self.inner.func = Some(func.to_string());
        self.inner.source = source;
        self
    }

    /// Parse or execution error.
    pub fn kind(&self) -> ErrorKind {
        self.inner.kind
    }

    /// For parse errors the template being parsed; for execution errors the template being
    /// executed (a `define` name, or the file name).
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The line of a parse error.
    pub fn parse_line(&self) -> Option<usize> {
        self.inner.line
    }

    /// Where an execution error happened, if at a node.
    pub fn location(&self) -> Option<&ExecLocation> {
        self.inner.location.as_ref()
    }

    /// The message after Go's prefix (`nil pointer evaluating interface {}.b`,
    /// `error calling eq: incompatible types for comparison`).
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The function whose error this is, for `error calling F: ...`.
    pub fn func(&self) -> Option<&str> {
        self.inner.func.as_deref()
    }

    /// The template error the function failed with (Helm's `include`), if any.
    pub fn source_error(&self) -> Option<&Error> {
        self.inner.source.as_ref()
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let i = &self.inner;
        match (i.kind, &i.location) {
            (ErrorKind::Parse, _) => {
                write!(
                    f,
                    "template: {}:{}: {}",
                    i.name,
                    i.line.unwrap_or(0),
                    i.message
                )
            }
            (ErrorKind::Exec, Some(l)) => write!(
                f,
                "template: {}:{}:{}: executing {} at <{}>: {}",
                l.file,
                l.line,
                l.col,
                crate::gofmt::quote(&i.name),
                l.context,
                i.message
            ),
            (ErrorKind::Exec, None) if i.name.is_empty() => write!(f, "template: {}", i.message),
            (ErrorKind::Exec, None) => write!(f, "template: {}: {}", i.name, i.message),
            (ErrorKind::Panic, _) => f.write_str(&i.message),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.inner.source.as_ref().map(|e| e as _)
    }
}
