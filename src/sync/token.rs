//! The access token: from the `ZITADEL_TOKEN` environment variable or the OS keyring
//! (service "schemadesk", user = the server's name). Never stored in SQLite, never logged,
//! never printed: it has no `Display`, and its `Debug` hides it.

use std::fmt;

use super::error::SyncError;

/// The environment variable that holds a token (it wins over the keyring).
pub const TOKEN_ENV: &str = "ZITADEL_TOKEN";
/// The keyring service name.
pub const KEYRING_SERVICE: &str = "schemadesk";

/// A bearer token.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

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
    /// A token given directly (tests, the GUI's token field).
    pub fn new(secret: impl Into<String>) -> Token {
        Token(secret.into().trim().to_string())
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

    /// `ZITADEL_TOKEN` if set and not empty, else the keyring entry of `server`.
    pub fn resolve(server: &str) -> Result<(Token, TokenSource), SyncError> {
        if let Ok(value) = std::env::var(TOKEN_ENV)
            && !value.trim().is_empty()
        {
            return Ok((Token::new(value), TokenSource::Env));
        }
        let detail = match keyring::Entry::new(KEYRING_SERVICE, server) {
            Ok(entry) => match entry.get_password() {
                Ok(secret) if !secret.trim().is_empty() => {
                    return Ok((Token::new(secret), TokenSource::Keyring));
                }
                Ok(_) | Err(keyring::Error::NoEntry) => String::new(),
                Err(e) => format!(" (the keyring is not available: {e})"),
            },
            Err(e) => format!(" (the keyring is not available: {e})"),
        };
        Err(SyncError::NoToken {
            server: server.to_string(),
            detail,
        })
    }

    /// Stores a token in the keyring for `server`.
    pub fn store_in_keyring(server: &str, token: &Token) -> Result<(), SyncError> {
        token.check_sendable()?;
        keyring::Entry::new(KEYRING_SERVICE, server)
            .and_then(|e| e.set_password(token.secret()))
            .map_err(|e| SyncError::Keyring(e.to_string()))
    }

    /// Removes the keyring entry of `server`; a missing entry is fine.
    pub fn forget(server: &str) -> Result<(), SyncError> {
        match keyring::Entry::new(KEYRING_SERVICE, server).and_then(|e| e.delete_credential()) {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(SyncError::Keyring(e.to_string())),
        }
    }
}
