//! 批示 and comments under a task: a leader's instruction (批示), the lead unit's reply to it
//! (落实情况), and remarks by the office and the units. Kept as written (留痕).

use super::error::{FieldError, Problem};
use super::fields::text;
use super::ids::{CommentId, TaskId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Longest text of one entry, in characters.
pub const BODY_MAX: u32 = 1000;

/// What an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", try_from = "String")]
pub enum CommentKind {
    /// 领导批示.
    Instruction,
    /// 落实情况: the lead unit's answer to a 批示.
    Reply,
    /// 意见: a remark.
    Comment,
}

impl CommentKind {
    pub const ALL: [CommentKind; 3] = [Self::Instruction, Self::Reply, Self::Comment];

    pub fn code(self) -> &'static str {
        match self {
            Self::Instruction => "instruction",
            Self::Reply => "reply",
            Self::Comment => "comment",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

impl TryFrom<String> for CommentKind {
    type Error = super::error::ParseError;
    fn try_from(code: String) -> Result<Self, Self::Error> {
        super::error::for_serde("kind", Self::parse(&code).ok_or(Problem::UnknownValue))
    }
}

/// The text of an entry: 2–[`BODY_MAX`] characters.
pub fn body(raw: &str) -> Result<String, FieldError> {
    text(raw, 2, BODY_MAX).map_err(|p| FieldError::new("body", p))
}

/// A stored entry, as the task page shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaskComment {
    pub id: CommentId,
    pub task: TaskId,
    pub kind: CommentKind,
    pub author: String,
    pub unit_name: Option<String>,
    pub body: String,
    /// The 批示 a reply answers.
    pub reply_to: Option<CommentId>,
    pub at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_bodies() {
        for k in CommentKind::ALL {
            assert_eq!(CommentKind::parse(k.code()), Some(k));
        }
        assert!(serde_json::from_str::<CommentKind>("\"order\"").is_err());
        assert_eq!(body(" 请加快进度 ").as_deref(), Ok("请加快进度"));
        assert_eq!(
            body("好"),
            Err(FieldError::new("body", Problem::TooShort { min: 2 }))
        );
        assert!(body(&"字".repeat(1001)).is_err());
    }
}
