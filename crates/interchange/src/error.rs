//! What can go wrong reading another tool's file, said so that its user can act on it: where in
//! the file, and what is wrong. Nothing is imported when any of these is returned.

/// Where in a file: a line and column when known, else a byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    Line { line: u64, column: u64 },
    Byte(u64),
}

impl std::fmt::Display for At {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            At::Line { line, column } => write!(f, "line {line}, column {column}"),
            At::Byte(b) => write!(f, "byte {b}"),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("the file is not XML ({at}): {message}")]
    NotXml { at: At, message: String },
    #[error(
        "the file declares a DTD ({at}); Tributary reads no DTDs and no entity declarations, so that a small file cannot expand into gigabytes (an \"XML bomb\"). Export the model again without a DOCTYPE"
    )]
    Dtd { at: At },
    #[error(
        "the file refers to the entity &{name}; ({at}); only the five XML entities (&amp; &lt; &gt; &quot; &apos;) and character references are read"
    )]
    Entity { name: String, at: At },
    #[error("{0}")]
    Version(String),
    #[error(
        "the file is encoded as {0:?}, which Tributary does not read (it reads UTF-8, UTF-16 and windows-1252 / ISO-8859-1)"
    )]
    Encoding(String),
    #[error("the file is larger than {limit} bytes, the most Tributary imports")]
    TooLarge { limit: u64 },
    #[error("{what} ({at}): {message}")]
    Structure {
        what: String,
        at: At,
        message: String,
    },
    #[error(
        "relationship {relationship:?} ({kind}) has {end} {target:?}, which is not in the file"
    )]
    MissingEnd {
        relationship: String,
        kind: String,
        end: &'static str,
        target: String,
    },
    #[error("two concepts share the identifier {0:?}")]
    DuplicateId(String),
    #[error("{file}, line {line}: {message}")]
    Csv {
        file: &'static str,
        line: u64,
        message: String,
    },
    #[error("the spreadsheet cannot be read: {0}")]
    Sheet(String),
    /// A Tributary model that cannot be written (it breaks the model's own rules).
    #[error("{0}")]
    Model(#[from] tributary_core::Error),
    #[error("reading the file failed: {0}")]
    Io(#[from] std::io::Error),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
