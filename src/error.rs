//! The one error type every server function returns: codes with parameters, never wording.
//! `crate::ui::messages` turns it into text (its `Display` goes through that catalogue).

use crate::domain::error::{DECODE_MARKER, ParseError};
use crate::domain::{Entity, FieldError, Problem, Refusal};
use serde::{Deserialize, Serialize};

/// An error a user can be shown. Internals (database failures, I/O) are logged on the server
/// and reach the browser only as [`AppError::Internal`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// The thing asked for does not exist (or is not visible to the caller).
    NotFound(Entity),
    /// The input was refused: every field's problem.
    Invalid(Vec<FieldError>),
    /// An imported list has problems: every one, with its row and column; nothing was written.
    Import(Vec<crate::domain::import::ImportProblem>),
    /// A rule refused the change (a move not allowed now, a name taken …).
    Refused(Refusal),
    /// Someone else changed the record first; reload and try again.
    Conflict,
    /// Signed in, but not allowed to do this.
    Forbidden,
    /// Not signed in.
    Unauthorized,
    /// Sign-in refused. Deliberately the same for an unknown name, a wrong password and a
    /// disabled account, so the answer does not reveal which accounts exist.
    BadCredentials,
    /// Too many failed sign-ins from this account or address; try again later.
    TooManyAttempts,
    /// The request body is larger than the server accepts.
    TooLarge { limit_kib: u32 },
    /// A change that did not come from a page of this site.
    CrossSite,
    /// Something failed on the server; details are in the server log only.
    Internal,
    /// The database did not answer; try again shortly.
    Unavailable,
    /// The server's disk is full: nothing was saved; an administrator must free space.
    StorageFull,
    /// The request did not reach the server or its answer could not be read.
    Transport,
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) | AppError::Import(_) => 422,
            AppError::Refused(r) if crate::domain::policy::is_denial(r) => 403,
            AppError::Refused(_) => 409,
            AppError::Conflict => 409,
            AppError::Forbidden | AppError::CrossSite => 403,
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::TooManyAttempts => 429,
            AppError::TooLarge { .. } => 413,
            AppError::Internal => 500,
            AppError::Unavailable => 503,
            AppError::StorageFull => 507,
            AppError::Transport => 502,
        }
    }

    /// One invalid field.
    pub fn field(field: &str, problem: Problem) -> Self {
        AppError::Invalid(vec![FieldError::new(field, problem)])
    }

    /// The field errors, if this is [`AppError::Invalid`].
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

impl From<Refusal> for AppError {
    fn from(refusal: Refusal) -> Self {
        AppError::Refused(refusal)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::ui::messages::error(self))
    }
}

impl std::error::Error for AppError {}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // Arguments that cannot be decoded are the caller's mistake. Our own parsers leave
            // a marked field error in the message; anything else (serde's English) is not shown.
            E::Args(msg) | E::MissingArg(msg) | E::Deserialization(msg)
                if msg.contains(DECODE_MARKER) =>
            {
                ParseError::find(&msg).map_or_else(malformed, |e| AppError::Invalid(vec![e]))
            }
            E::Args(msg) | E::MissingArg(msg) => {
                log(&msg);
                malformed()
            }
            // On the server, a body that does not decode (not UTF-8, not a form) is the
            // caller's too; in the browser it is an answer that did not arrive whole.
            #[cfg(feature = "ssr")]
            E::Deserialization(msg) => {
                log(&msg);
                malformed()
            }
            #[cfg(not(feature = "ssr"))]
            E::Deserialization(msg) => {
                log(&msg);
                AppError::Transport
            }
            E::Request(msg) | E::Response(msg) => {
                log(&msg);
                AppError::Transport
            }
            other => {
                log(&other.to_string());
                AppError::Internal
            }
        }
    }
}

/// Whether an error's text is the operating system's "disk full" (ENOSPC), as the storage
/// engine and the file store pass it on.
#[cfg(feature = "ssr")]
pub(crate) fn is_storage_full(message: &str) -> bool {
    message.contains("No space left on device")
        || message.contains("os error 28")
        || message.contains("StorageFull")
}

/// A request whose arguments could not be read at all.
fn malformed() -> AppError {
    AppError::field("request", Problem::BadFormat)
}

fn log(message: &str) {
    #[cfg(feature = "ssr")]
    tracing::warn!(error = message, "server function call failed");
    #[cfg(not(feature = "ssr"))]
    let _ = message;
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};

    #[test]
    fn statuses() {
        let cases = [
            (AppError::NotFound(Entity::Task), 404),
            (AppError::field("percent", Problem::NotANumber), 422),
            (AppError::Refused(Refusal::NotOwnUnit), 403),
            (AppError::Refused(Refusal::PlanClosed), 409),
            (AppError::Conflict, 409),
            (AppError::Forbidden, 403),
            (AppError::CrossSite, 403),
            (AppError::Unauthorized, 401),
            (AppError::TooManyAttempts, 429),
            (AppError::TooLarge { limit_kib: 1024 }, 413),
            (AppError::Internal, 500),
            (AppError::Unavailable, 503),
            (AppError::StorageFull, 507),
            (AppError::Transport, 502),
        ];
        for (err, status) in cases {
            assert_eq!(err.status(), status, "{err:?}");
        }
    }

    #[test]
    fn round_trips_through_json_without_internals() {
        let err = AppError::Internal;
        let json = serde_json::to_string(&err).expect("serialize");
        assert_eq!(json, r#"{"kind":"internal"}"#);
        let back: AppError = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, err);
        let invalid = AppError::field("percent", Problem::OutOfRange { min: 0, max: 100 });
        let json = serde_json::to_string(&invalid).expect("serialize");
        assert_eq!(serde_json::from_str::<AppError>(&json).ok(), Some(invalid));
    }

    #[test]
    fn undecodable_arguments_never_show_library_text() {
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args(
            "invalid digit found in string".into(),
        ));
        assert_eq!(err, malformed());
        let ours = ParseError(FieldError::new("to", Problem::UnknownValue)).to_string();
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Args(format!(
            "failed with reason: {ours}"
        )));
        assert_eq!(err, AppError::field("to", Problem::UnknownValue));
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Request("timeout".into()));
        assert_eq!(err, AppError::Transport);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_request_body_that_does_not_decode_is_the_callers_mistake() {
        // Found by the fuzz suite: a body of one byte 0x80 answered 502 (网络请求失败).
        let err = AppError::from_server_fn_error(ServerFnErrorErr::Deserialization(
            "invalid utf-8 sequence of 1 bytes from index 0".into(),
        ));
        assert_eq!(err, malformed());
    }
}
