//! Record identifiers as they cross to the browser: opaque string newtypes. They deserialize
//! through `parse`, so a form or JSON cannot build an id that could not name a record.

use super::error::{ParseError, Problem, for_serde};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(raw: String) -> Result<Self, ParseError> {
                for_serde("id", Self::parse(&raw).ok_or(Problem::BadFormat))
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl $name {
            /// Accepts the key part of a record id: 1–64 ASCII letters, digits, `-` or `_`.
            /// Anything else cannot name a record, so it is refused before any query runs.
            pub fn parse(raw: &str) -> Option<Self> {
                let ok = !raw.is_empty()
                    && raw.len() <= 64
                    && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
                ok.then(|| Self(raw.to_owned()))
            }

            /// The key as a string, for URLs and queries.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

string_id!(
    /// Identifies a [`crate::domain::PlanSummary`] (年度重点任务清单).
    PlanId
);
string_id!(
    /// Identifies a task (重点任务).
    TaskId
);
string_id!(
    /// Identifies an organization unit (单位/科室/街道党建办).
    UnitId
);
string_id!(
    /// Identifies a person.
    PersonId
);
string_id!(
    /// Identifies a progress report (进度填报).
    ReportId
);
string_id!(
    /// Identifies a sign-in account.
    AccountId
);
string_id!(
    /// Identifies a unit's claim of a task (揭榜认领).
    ClaimId
);
string_id!(
    /// Identifies a 批示 or comment under a task.
    CommentId
);
string_id!(
    /// Identifies a request about a task (延期申请).
    RequestId
);
string_id!(
    /// Identifies a message in an inbox (the audit event it tells of).
    NoticeId
);
string_id!(
    /// Identifies a 催办 or 督办单.
    SupervisionId
);
string_id!(
    /// Identifies a kept failed import of a task list.
    ImportAttemptId
);
string_id!(
    /// Identifies a 专题调度会.
    MeetingId
);
string_id!(
    /// Identifies a meeting's 交办事项.
    ActionItemId
);
string_id!(
    /// Identifies an item of the 整改清单 (a finding to rectify).
    FindingId
);
string_id!(
    /// Identifies a 积分 award or deduction.
    PointEntryId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_accepts_record_keys() {
        assert_eq!(
            TaskId::parse("abc_12-x").map(|t| t.to_string()),
            Some("abc_12-x".into())
        );
    }

    #[test]
    fn deserializing_goes_through_parse() {
        let ok: Result<TaskId, _> = serde_json::from_str("\"dapeng-2022-01\"");
        assert_eq!(
            ok.map(|t| t.to_string()).ok(),
            Some("dapeng-2022-01".into())
        );
        let bad: Result<TaskId, _> = serde_json::from_str("\"task:1; DELETE task\"");
        let message = bad.expect_err("refused").to_string();
        assert_eq!(
            crate::domain::error::ParseError::find(&message).map(|e| e.problem),
            Some(Problem::BadFormat)
        );
    }

    #[test]
    fn parse_refuses_what_cannot_be_a_key() {
        for bad in [
            "",
            "a b",
            "task:1",
            "x;DELETE task",
            "支部",
            &"a".repeat(65),
        ] {
            assert!(TaskId::parse(bad).is_none(), "{bad:?} should be refused");
        }
    }
}
