//! An error on its way from a background task to the status line: the text the user reads
//! (exactly as before) and, when there is one, the error it came from, kept so that the log
//! can record the whole chain.

use std::error::Error;
use std::fmt;
use std::sync::Arc;

/// What went wrong, as shown, with the typed error behind it.
#[derive(Debug, Clone)]
pub struct Failure {
    message: String,
    source: Option<Arc<dyn Error + Send + Sync>>,
}

impl Failure {
    /// A failure with no error behind it (a rule the app checks itself).
    pub fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            source: None,
        }
    }

    /// A failure shown as `message`, caused by `error`.
    pub fn caused_by(
        message: impl Into<String>,
        error: impl Error + Send + Sync + 'static,
    ) -> Self {
        Failure {
            message: message.into(),
            source: Some(Arc::new(error)),
        }
    }

    /// A failure caused by an error that cannot be handed over (it is not `Clone`, or it is
    /// kept): its chain is copied as text, one link per error.
    pub fn copied_from(message: impl Into<String>, error: &(dyn Error + 'static)) -> Self {
        Failure {
            message: message.into(),
            source: Some(Arc::new(Copied::of(error))),
        }
    }

    /// The text shown to the user.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error this came from and each error behind it, joined by ": " (for the log).
    pub fn chain(&self) -> String {
        let mut out = String::new();
        let mut next: Option<&(dyn Error + 'static)> = self.source.as_deref().map(|e| e as _);
        while let Some(e) = next {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&e.to_string());
            next = e.source();
        }
        out
    }
}

/// Two failures are alike when they read alike (the errors behind them need not compare).
impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        self.message == other.message
    }
}

/// A text alone: a failure with no error behind it.
impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure::new(message)
    }
}

impl From<&str> for Failure {
    fn from(message: &str) -> Self {
        Failure::new(message)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl Error for Failure {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

/// One link of a copied error chain.
#[derive(Debug)]
struct Copied {
    text: String,
    source: Option<Box<Copied>>,
}

impl Copied {
    fn of(error: &(dyn Error + 'static)) -> Self {
        Copied {
            text: error.to_string(),
            source: error.source().map(|e| Box::new(Copied::of(e))),
        }
    }
}

impl fmt::Display for Copied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl Error for Copied {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source.as_deref().map(|e| e as _)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn the_message_is_shown_and_the_chain_is_kept() {
        let io = std::io::Error::other("disk full");
        let f = Failure::caused_by("the store x.db: outer", Outer(io));
        assert_eq!(f.to_string(), "the store x.db: outer");
        assert_eq!(f.chain(), "outer: disk full");
        assert!(f.source().is_some());
        let kept = Outer(std::io::Error::other("disk full"));
        let copied = Failure::copied_from("shown", &kept);
        assert_eq!(copied.chain(), "outer: disk full");
        assert_eq!(copied.to_string(), "shown");
        let plain = Failure::new("no source");
        assert_eq!(plain.message(), "no source");
        assert_eq!(plain.chain(), "");
        assert!(plain.source().is_none());
    }
}
