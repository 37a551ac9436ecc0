//! The authenticator types a user of a schema may use, with the server's exact enum strings.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One of the eight defined `AuthenticatorType` values. `UNSPECIFIED` is deliberately not a
/// variant: the server refuses it, so the program can never hold it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuthenticatorType {
    Username,
    Password,
    Webauthn,
    Totp,
    OtpEmail,
    OtpSms,
    AuthenticationKey,
    IdentityProvider,
}

impl AuthenticatorType {
    pub const ALL: [AuthenticatorType; 8] = [
        Self::Username,
        Self::Password,
        Self::Webauthn,
        Self::Totp,
        Self::OtpEmail,
        Self::OtpSms,
        Self::AuthenticationKey,
        Self::IdentityProvider,
    ];

    /// The enum string the server sends and expects.
    pub fn wire_name(self) -> &'static str {
        match self {
            Self::Username => "AUTHENTICATOR_TYPE_USERNAME",
            Self::Password => "AUTHENTICATOR_TYPE_PASSWORD",
            Self::Webauthn => "AUTHENTICATOR_TYPE_WEBAUTHN",
            Self::Totp => "AUTHENTICATOR_TYPE_TOTP",
            Self::OtpEmail => "AUTHENTICATOR_TYPE_OTP_EMAIL",
            Self::OtpSms => "AUTHENTICATOR_TYPE_OTP_SMS",
            Self::AuthenticationKey => "AUTHENTICATOR_TYPE_AUTHENTICATION_KEY",
            Self::IdentityProvider => "AUTHENTICATOR_TYPE_IDENTITY_PROVIDER",
        }
    }

    /// The protobuf enum number.
    pub fn number(self) -> i32 {
        self as i32 + 1
    }

    /// The short name used on the command line (`otp-email`).
    pub fn short_name(self) -> &'static str {
        match self {
            Self::Username => "username",
            Self::Password => "password",
            Self::Webauthn => "webauthn",
            Self::Totp => "totp",
            Self::OtpEmail => "otp-email",
            Self::OtpSms => "otp-sms",
            Self::AuthenticationKey => "authentication-key",
            Self::IdentityProvider => "identity-provider",
        }
    }

    /// A human name for the editor's checkboxes.
    pub fn label(self) -> &'static str {
        match self {
            Self::Username => "Username",
            Self::Password => "Password",
            Self::Webauthn => "Passkey (WebAuthn)",
            Self::Totp => "Authenticator app (TOTP)",
            Self::OtpEmail => "One-time code by email",
            Self::OtpSms => "One-time code by SMS",
            Self::AuthenticationKey => "Authentication key",
            Self::IdentityProvider => "External identity provider",
        }
    }

    /// What ticking this type allows, for hover texts.
    pub fn description(self) -> &'static str {
        match self {
            Self::Username => "Users may have a login name to identify themselves.",
            Self::Password => "Users may set a password and sign in with it.",
            Self::Webauthn => {
                "Users may register passkeys or security keys (FIDO2/WebAuthn) and sign in with them."
            }
            Self::Totp => {
                "Users may register an authenticator app that generates time-based one-time codes."
            }
            Self::OtpEmail => "Users may receive one-time codes by email as a second factor.",
            Self::OtpSms => "Users may receive one-time codes by SMS as a second factor.",
            Self::AuthenticationKey => {
                "Users (typically machines) may authenticate with a key pair, e.g. a JWT profile."
            }
            Self::IdentityProvider => {
                "Users may link and sign in with an external identity provider (OIDC, SAML, social login)."
            }
        }
    }

    /// Reads a wire name, a short name or the protobuf number. Accepts the older
    /// `AUTHENTICATOR_TYPE_PUBLIC_KEY` spelling as `AuthenticationKey`.
    pub fn parse(text: &str) -> Result<Self, UnknownAuthenticator> {
        let t = text.trim();
        let upper = t.to_ascii_uppercase().replace('-', "_");
        let bare = upper.strip_prefix("AUTHENTICATOR_TYPE_").unwrap_or(&upper);
        let found = match bare {
            "USERNAME" | "1" => Self::Username,
            "PASSWORD" | "2" => Self::Password,
            "WEBAUTHN" | "PASSKEY" | "3" => Self::Webauthn,
            "TOTP" | "4" => Self::Totp,
            "OTP_EMAIL" | "5" => Self::OtpEmail,
            "OTP_SMS" | "6" => Self::OtpSms,
            "AUTHENTICATION_KEY" | "PUBLIC_KEY" | "7" => Self::AuthenticationKey,
            "IDENTITY_PROVIDER" | "IDP" | "8" => Self::IdentityProvider,
            _ => return Err(UnknownAuthenticator(t.to_string())),
        };
        Ok(found)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown authenticator type \"{0}\" (expected one of username, password, webauthn, totp, otp-email, otp-sms, authentication-key, identity-provider)"
)]
pub struct UnknownAuthenticator(pub String);

impl fmt::Display for AuthenticatorType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.wire_name())
    }
}

impl FromStr for AuthenticatorType {
    type Err = UnknownAuthenticator;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for AuthenticatorType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.wire_name())
    }
}

impl<'de> Deserialize<'de> for AuthenticatorType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = serde_json::Value::deserialize(d)?;
        let text = match &raw {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            other => {
                return Err(serde::de::Error::custom(format!(
                    "not an authenticator: {other}"
                )));
            }
        };
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in AuthenticatorType::ALL {
            assert_eq!(AuthenticatorType::parse(a.wire_name()), Ok(a));
            assert_eq!(AuthenticatorType::parse(a.short_name()), Ok(a));
            assert_eq!(AuthenticatorType::parse(&a.number().to_string()), Ok(a));
        }
        assert_eq!(
            AuthenticatorType::parse("AUTHENTICATOR_TYPE_PUBLIC_KEY"),
            Ok(AuthenticatorType::AuthenticationKey)
        );
        assert!(AuthenticatorType::parse("AUTHENTICATOR_TYPE_UNSPECIFIED").is_err());
        assert!(AuthenticatorType::parse("0").is_err());
    }
}
