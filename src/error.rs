//! The one error type every server function returns.

use serde::{Deserialize, Serialize};

/// An error a user can be shown. Internals (database failures, I/O) are logged on the server
/// and reach the browser only as [`AppError::Internal`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[serde(tag = "kind", content = "detail", rename_all = "snake_case")]
pub enum AppError {
    /// The thing asked for does not exist (or is not visible to the caller).
    #[error("未找到{0}")]
    NotFound(String),
    /// The input was refused; the message says which field and why.
    #[error("输入有误:{0}")]
    Invalid(String),
    /// Someone else changed the record first; reload and try again.
    #[error("数据已被他人修改,请刷新后重试")]
    Conflict,
    /// Signed in, but not allowed to do this.
    #[error("无权执行此操作")]
    Forbidden,
    /// Not signed in.
    #[error("请先登录")]
    Unauthorized,
    /// Sign-in refused. Deliberately the same for an unknown name, a wrong password and a
    /// disabled account, so the answer does not reveal which accounts exist.
    #[error("用户名或密码错误")]
    BadCredentials,
    /// Too many failed sign-ins from this account or address; try again later.
    #[error("登录失败次数过多,请 15 分钟后再试")]
    TooManyAttempts,
    /// Something failed on the server; details are in the server log only.
    #[error("服务器内部错误,请稍后再试")]
    Internal,
    /// The request did not reach the server or its answer could not be read.
    #[error("网络请求失败:{0}")]
    Transport(String),
}

impl AppError {
    /// The HTTP status this error is answered with.
    pub fn status(&self) -> u16 {
        match self {
            AppError::NotFound(_) => 404,
            AppError::Invalid(_) => 422,
            AppError::Conflict => 409,
            AppError::Forbidden => 403,
            AppError::Unauthorized | AppError::BadCredentials => 401,
            AppError::TooManyAttempts => 429,
            AppError::Internal => 500,
            AppError::Transport(_) => 502,
        }
    }
}

impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            // Arguments that cannot be decoded are the caller's mistake, not ours.
            E::Args(msg) | E::MissingArg(msg) => AppError::Invalid(msg),
            E::Request(msg) | E::Response(msg) | E::Deserialization(msg) => {
                AppError::Transport(msg)
            }
            other => {
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                AppError::Internal
            }
        }
    }
}

#[cfg(feature = "ssr")]
impl From<surrealdb::Error> for AppError {
    fn from(err: surrealdb::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_distinct_http_errors() {
        let all = [
            AppError::NotFound("任务".into()),
            AppError::Invalid("x".into()),
            AppError::Conflict,
            AppError::Forbidden,
            AppError::Unauthorized,
            AppError::TooManyAttempts,
            AppError::Internal,
            AppError::Transport("x".into()),
        ];
        let mut codes: Vec<u16> = all.iter().map(AppError::status).collect();
        assert!(codes.iter().all(|c| (400..600).contains(c)));
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), all.len());
    }

    #[test]
    fn round_trips_through_json_without_internals() {
        let err = AppError::Internal;
        let json = serde_json::to_string(&err).expect("serialize");
        assert_eq!(json, r#"{"kind":"internal"}"#);
        let back: AppError = serde_json::from_str(&json).expect("deserialize");
        assert_eq!(back, err);
    }

    #[test]
    fn messages_are_chinese() {
        assert_eq!(AppError::NotFound("任务".into()).to_string(), "未找到任务");
    }
}
