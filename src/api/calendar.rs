//! 节假日安排: the working-day calendar lights and reminders count with, one year at a time;
//! shipped with the app, updated by an administrator when the State Council announces a year.

use crate::domain::calendar::CalendarEntry;
use crate::error::AppError;
use leptos::prelude::*;

/// Every year known, newest first, with who installed it.
#[server(prefix = "/api", endpoint = "get_calendars")]
pub async fn get_calendars() -> Result<Vec<CalendarEntry>, AppError> {
    use crate::domain::policy::Capability;
    use crate::server::{authz, calendar, respond, state};
    respond(
        async {
            authz::require(Capability::ManageSystem)?;
            calendar::entries(&*state()?.db.get().await?).await
        }
        .await,
    )
}

/// Installs a year's arrangement: holidays one per line (`春节 2027-02-05 2027-02-13`), 调休
/// workdays separated by spaces or commas. Replaces what was there for that year.
#[server(prefix = "/api", endpoint = "save_calendar")]
pub async fn save_calendar(
    year: String,
    #[server(default)] source: String,
    holidays: String,
    #[server(default)] workdays: String,
) -> Result<i32, AppError> {
    use crate::domain::calendar::CalendarForm;
    use crate::domain::policy::Capability;
    use crate::server::{authz, calendar, respond, state};
    respond(
        async {
            let admin = authz::require(Capability::ManageSystem)?;
            let year = CalendarForm {
                year,
                source,
                holidays,
                workdays,
            }
            .parse()?;
            calendar::save(&*state()?.db.get().await?, &admin.actor(), &year).await?;
            Ok(year.year)
        }
        .await,
    )
}
