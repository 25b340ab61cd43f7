//! The agenda of a case: read as a whole, and changed one command at a time through
//! `domain::agenda`, the rows and the change's event written in one transaction. An agenda is
//! short, so a change rewrites all of its rows: nothing can drift between them.

use super::cases::lock_for_write;
use super::{events, label, stored_id, Db, StoreResult};
use crate::domain::agenda::{Agenda, AgendaCommand, AgendaItem, AgendaRefusal, AgendaStatus};
use crate::domain::events::EventActor;
use crate::domain::ids::{AgendaItemId, CaseId};
use crate::domain::Timestamp;
use sqlx::{AnyConnection, Row as _};

async fn load(conn: &mut AnyConnection, case: CaseId) -> StoreResult<Vec<AgendaItem>> {
    let rows = sqlx::query(
        "SELECT id, title, description, status, seconds_spent, started_at FROM agenda_items \
         WHERE case_id = $1 ORDER BY position",
    )
    .bind(case.to_string())
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(AgendaItem {
                id: stored_id(&row.try_get::<String, _>("id")?, AgendaItemId::parse)?,
                title: row.try_get("title")?,
                description: row.try_get("description")?,
                status: label(&row.try_get::<String, _>("status")?, AgendaStatus::parse)?,
                seconds_spent: row.try_get("seconds_spent")?,
                started_at: row
                    .try_get::<Option<i64>, _>("started_at")?
                    .map(Timestamp::from_millis),
            })
        })
        .collect()
}

async fn save(conn: &mut AnyConnection, case: CaseId, items: &[AgendaItem]) -> StoreResult<()> {
    sqlx::query("DELETE FROM agenda_items WHERE case_id = $1")
        .bind(case.to_string())
        .execute(&mut *conn)
        .await?;
    for (position, item) in (0_i64..).zip(items) {
        sqlx::query(
            "INSERT INTO agenda_items (id, case_id, position, title, description, status, \
             seconds_spent, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(item.id.to_string())
        .bind(case.to_string())
        .bind(position)
        .bind(&item.title)
        .bind(item.description.as_deref())
        .bind(item.status.as_str())
        .bind(item.seconds_spent)
        .bind(item.started_at.map(Timestamp::millis))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Db {
    /// The agenda of a case, in order.
    pub async fn agenda(&self, case: CaseId) -> StoreResult<Vec<AgendaItem>> {
        let mut conn = self.pool().acquire().await?;
        load(&mut conn, case).await
    }

    /// Applies one change to the agenda and records it; the inner error says why the domain
    /// refused (and nothing was written). Returns the agenda as it now is.
    pub async fn change_agenda(
        &self,
        case: CaseId,
        command: AgendaCommand,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<Vec<AgendaItem>, AgendaRefusal>> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let mut agenda = Agenda::new(load(&mut tx, case).await?);
        let event = match agenda.apply(command, now) {
            Ok(event) => event,
            Err(refused) => return Ok(Err(refused)),
        };
        save(&mut tx, case, agenda.items()).await?;
        events::append(&mut tx, case, actor, &event, now).await?;
        tx.commit().await?;
        Ok(Ok(agenda.into_items()))
    }
}
