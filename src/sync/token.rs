//! The access token: from the `ZITADEL_TOKEN` environment variable or the OS keyring
//! (service "schemadesk", user = the server's name). Never stored in SQLite, never logged,
//! never printed: it has no `Display`, and its `Debug` hides it. Its memory is wiped
//! (`zeroize`) when it is dropped, and so is every copy read on the way in.

use std::fmt;

use zeroize::{Zeroize, Zeroizing};

use super::error::SyncError;

/// The environment variable that holds a token (it wins over the keyring).
pub const TOKEN_ENV: &str = "ZITADEL_TOKEN";
/// The keyring service name.
pub const KEYRING_SERVICE: &str = "schemadesk";

/// A bearer token, wiped from memory when dropped.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(Zeroizing<String>);

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(***)")
    }
}

/// Where a token came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    Keyring,
    Given,
}

impl Token {
    /// A token given directly (tests, the GUI's token field). The given string is wiped
    /// once its trimmed copy is taken.
    pub fn new(secret: impl Into<String>) -> Token {
        let mut given: String = secret.into();
        let token = Token(Zeroizing::new(given.trim().to_string()));
        given.zeroize();
        token
    }

    /// The secret itself, for the Authorization header only.
    pub(crate) fn secret(&self) -> &str {
        &self.0
    }

    /// Whether the token can go into an `Authorization: Bearer` header as it is: visible
    /// ASCII only (a bearer token's alphabet is narrower still). A line break, a space or a
    /// non-ASCII character inside is refused before any connection, never sent or queued.
    pub fn check_sendable(&self) -> Result<(), SyncError> {
        if self.0.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(())
        } else {
            Err(SyncError::BadToken)
        }
    }

    /// `ZITADEL_TOKEN` if set and not empty, else the keyring entry of `server`. No entry is
    /// [`SyncError::NoToken`]; a keyring that cannot be read is [`SyncError::KeyringRead`],
    /// never taken for a missing token.
    pub fn resolve(server: &str) -> Result<(Token, TokenSource), SyncError> {
        if let Ok(value) = std::env::var(TOKEN_ENV)
            && !value.trim().is_empty()
        {
            return Ok((Token::new(value), TokenSource::Env));
        }
        match keyring::Entry::new(KEYRING_SERVICE, server).and_then(|e| e.get_password()) {
            Ok(secret) => {
                let token = Token::new(secret);
                if token.0.is_empty() {
                    Err(SyncError::NoToken {
                        server: server.to_string(),
                    })
                } else {
                    Ok((token, TokenSource::Keyring))
                }
            }
            Err(keyring::Error::NoEntry) => Err(SyncError::NoToken {
                server: server.to_string(),
            }),
            Err(e) => Err(SyncError::KeyringRead {
                server: server.to_string(),
                reason: e.to_string(),
            }),
        }
    }

    /// Stores a token in the keyring for `server`.
    pub fn store_in_keyring(server: &str, token: &Token) -> Result<(), SyncError> {
        token.check_sendable()?;
        keyring::Entry::new(KEYRING_SERVICE, server)
            .and_then(|e| e.set_password(token.secret()))
            .map_err(|e| SyncError::Keyring(e.to_string()))
    }

    /// Removes the keyring entry of `server`. A missing entry is fine; any other failure is
    /// returned, so that whoever promised the removal can say it did not happen.
    pub fn forget(server: &str) -> Result<(), SyncError> {
        match keyring::Entry::new(KEYRING_SERVICE, server).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SyncError::Keyring(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_is_trimmed_hidden_and_checked() {
        let t = Token::new("  abc.DEF-123 \n");
        assert_eq!(t.secret(), "abc.DEF-123");
        assert_eq!(format!("{t:?}"), "Token(***)");
        assert!(t.check_sendable().is_ok());
        for bad in ["a b", "a\u{e9}", "line\nbreak"] {
            assert!(
                matches!(Token::new(bad).check_sendable(), Err(SyncError::BadToken)),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_keyring_failure_reads_apart_from_a_missing_token() {
        let missing = SyncError::NoToken {
            server: "prod".into(),
        }
        .to_string();
        let broken = SyncError::KeyringRead {
            server: "prod".into(),
            reason: "no D-Bus session".into(),
        }
        .to_string();
        assert!(
            missing.starts_with("no token for server \"prod\""),
            "{missing}"
        );
        assert!(!broken.contains("no token"), "{broken}");
        assert!(
            broken.contains("keyring could not be used (no D-Bus session)"),
            "{broken}"
        );
        assert!(broken.contains("ZITADEL_TOKEN"), "{broken}");
    }
}
