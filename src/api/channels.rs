//! 消息通道: the admin sets up group robots and the mail server and tries them; everyone
//! chooses whether their notices also go to their e-mail.

use crate::domain::channel::{ChannelsOverview, MailPreference};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// What a test message came to: sent, or the platform's (or network's) own words why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TestOutcome {
    pub to: String,
    pub error: Option<String>,
}

/// The admin's page: robots (addresses masked), the mail server, e-mail recipients, the log.
#[server(prefix = "/api", endpoint = "get_channels")]
pub async fn get_channels() -> Result<ChannelsOverview, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            authz::require(Capability::ManageSystem)?;
            db::channels::overview(&*state()?.db.get().await?).await
        }
        .await,
    )
}

/// Adds a group robot: its platform, whose messages it gets, its webhook address and (钉钉,
/// 飞书) its signing secret.
#[server(prefix = "/api", endpoint = "create_robot")]
pub async fn create_robot(
    name: String,
    platform: String,
    audience: String,
    url: String,
    #[server(default)] secret: String,
) -> Result<String, AppError> {
    use crate::domain::channel::{RobotForm, RobotInput};
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageSystem)?;
            let input = RobotInput::parse(&RobotForm {
                name,
                kind: platform,
                audience,
                url,
                secret,
            })?;
            db::channels::create_robot(&*state()?.db.get().await?, &admin.actor(), &input).await
        }
        .await,
    )
}

/// Turns a robot on or off.
#[server(prefix = "/api", endpoint = "switch_robot")]
pub async fn switch_robot(id: String, version: u32, enabled: bool) -> Result<u32, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageSystem)?;
            db::channels::set_robot_enabled(
                &*state()?.db.get().await?,
                &admin.actor(),
                &id,
                version,
                enabled,
            )
            .await
        }
        .await,
    )
}

/// Removes a robot.
#[server(prefix = "/api", endpoint = "delete_robot")]
pub async fn delete_robot(id: String) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageSystem)?;
            db::channels::delete_robot(&*state()?.db.get().await?, &admin.actor(), &id).await
        }
        .await,
    )
}

/// Sends a test message to a robot at once and says how it went.
#[server(prefix = "/api", endpoint = "test_robot")]
pub async fn test_robot(id: String) -> Result<TestOutcome, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::channels::{TestTo, send_test};
    use crate::server::{authz, respond, state};
    respond(
        async {
            authz::require(Capability::ManageSystem)?;
            let state = state()?;
            let (to, result) = send_test(
                &*state.db.get().await?,
                TestTo::Robot(id),
                chrono::Utc::now(),
                &state.public_url,
            )
            .await?;
            Ok(TestOutcome {
                to,
                error: result.err(),
            })
        }
        .await,
    )
}

/// Sets up (or changes) the mail server; an empty password keeps the stored one.
#[server(prefix = "/api", endpoint = "save_smtp")]
pub async fn save_smtp(
    host: String,
    port: String,
    security: String,
    #[server(default)] username: String,
    #[server(default)] password: String,
    from: String,
) -> Result<(), AppError> {
    use crate::domain::channel::{SmtpForm, SmtpInput};
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageSystem)?;
            let input = SmtpInput::parse(&SmtpForm {
                host,
                port,
                security,
                username,
                password,
                from,
            })?;
            db::channels::save_smtp(&*state()?.db.get().await?, &admin.actor(), &input).await
        }
        .await,
    )
}

/// Sends a test e-mail to `address` through the configured server.
#[server(prefix = "/api", endpoint = "test_mail")]
pub async fn test_mail(address: String) -> Result<TestOutcome, AppError> {
    use crate::domain::FieldError;
    use crate::domain::policy::Capability;
    use crate::domain::unit::Email;
    use crate::server::channels::{TestTo, send_test};
    use crate::server::{authz, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageSystem)?;
            let email = Email::parse(&address).map_err(|p| vec![FieldError::new("address", p)])?;
            let state = state()?;
            let (to, result) = send_test(
                &*state.db.get().await?,
                TestTo::Mail {
                    account: admin.id.clone(),
                    email: email.as_str().to_owned(),
                },
                chrono::Utc::now(),
                &state.public_url,
            )
            .await?;
            Ok(TestOutcome {
                to,
                error: result.err(),
            })
        }
        .await,
    )
}

/// The signed-in person's e-mail choice.
#[server(prefix = "/api", endpoint = "get_mail_preference")]
pub async fn get_mail_preference() -> Result<MailPreference, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            db::channels::mail_preference(&*state()?.db.get().await?, &user.id).await
        }
        .await,
    )
}

/// Sets the signed-in person's e-mail choice. Choosing e-mail needs an address.
#[server(prefix = "/api", endpoint = "set_mail_preference")]
pub async fn set_mail_preference(
    #[server(default)] email: String,
    #[server(default)] enabled: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::policy::Capability;
    use crate::domain::unit::Email;
    use crate::domain::{FieldError, Problem};
    use crate::server::{authz, db, respond, state};
    respond(
        async {
            let user = authz::require(Capability::UseSession)?;
            let enabled = enabled.is_some_and(|v| v == "on" || v == "true");
            let email = match email.trim() {
                "" if enabled => Err(vec![FieldError::new("email", Problem::Required)]),
                "" => Ok(None),
                raw => Email::parse(raw)
                    .map(Some)
                    .map_err(|p| vec![FieldError::new("email", p)]),
            }?;
            db::channels::set_mail_preference(
                &*state()?.db.get().await?,
                &user.id,
                email.as_ref(),
                enabled,
            )
            .await
        }
        .await,
    )
}
