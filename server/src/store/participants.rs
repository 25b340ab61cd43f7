//! The parties and other participants of a case.

use super::cases::lock_for_write;
use super::{events, label, new_uuid, stored_id, Db, StoreError, StoreResult};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::participant::{ParticipantDetails, ParticipantRole, PersonKind, Side, Standing};
use crate::domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantRecord {
    pub id: ParticipantId,
    pub case_id: CaseId,
    pub details: ParticipantDetails,
    pub created_at: Timestamp,
}

/// Why a participant could not be added or changed, in terms of the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParticipantRefused {
    /// `represents` does not name a party of this case.
    NotAPartyOfTheCase,
}

const SELECT_PARTICIPANT: &str = "SELECT id, case_id, role, side, person_kind, represents, name, \
     contact, service_address, created_at FROM participants";

fn from_row(row: &AnyRow) -> StoreResult<ParticipantRecord> {
    let role = label(&row.try_get::<String, _>("role")?, ParticipantRole::parse)?;
    let side = row
        .try_get::<Option<String>, _>("side")?
        .map(|s| label(&s, Side::parse))
        .transpose()?;
    let person_kind = row
        .try_get::<Option<String>, _>("person_kind")?
        .map(|s| label(&s, PersonKind::parse))
        .transpose()?;
    let represents = row
        .try_get::<Option<String>, _>("represents")?
        .map(|s| stored_id(&s, ParticipantId::parse))
        .transpose()?;
    let standing = Standing::parse(role, side, person_kind, represents)
        .map_err(|e| StoreError::Corrupt(format!("participant standing: {e}")))?;
    Ok(ParticipantRecord {
        id: stored_id(&row.try_get::<String, _>("id")?, ParticipantId::parse)?,
        case_id: stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?,
        details: ParticipantDetails {
            standing,
            name: row.try_get("name")?,
            contact: row.try_get("contact")?,
            service_address: row.try_get("service_address")?,
        },
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
    })
}

/// An agent must represent a party of the same case who has not been removed.
async fn check_represents(
    conn: &mut AnyConnection,
    case: CaseId,
    standing: Standing,
) -> StoreResult<Result<(), ParticipantRefused>> {
    let Some(party) = standing.represents() else {
        return Ok(Ok(()));
    };
    let found: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM participants WHERE id = $1 AND case_id = $2 AND role = $3 \
         AND removed_at IS NULL",
    )
    .bind(party.to_string())
    .bind(case.to_string())
    .bind(ParticipantRole::Party.as_str())
    .fetch_one(conn)
    .await?;
    Ok(if found == 1 {
        Ok(())
    } else {
        Err(ParticipantRefused::NotAPartyOfTheCase)
    })
}

impl Db {
    pub async fn add_participant(
        &self,
        case: CaseId,
        details: &ParticipantDetails,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<ParticipantId, ParticipantRefused>> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        if let Err(refused) = check_represents(&mut tx, case, details.standing).await? {
            return Ok(Err(refused));
        }
        let id = ParticipantId::from_uuid(new_uuid());
        let standing = details.standing;
        let added = CaseEvent::ParticipantAdded {
            participant: id,
            role: standing.role(),
            side: standing.side(),
            person_kind: standing.person_kind(),
            represents: standing.represents(),
            name: details.name.clone(),
        };
        events::append(&mut tx, case, actor, &added, now).await?;
        sqlx::query(
            "INSERT INTO participants (id, case_id, role, side, person_kind, represents, name, \
             contact, service_address, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.to_string())
        .bind(case.to_string())
        .bind(standing.role().as_str())
        .bind(standing.side().map(|s| s.as_str()))
        .bind(standing.person_kind().map(|k| k.as_str()))
        .bind(standing.represents().map(|p| p.to_string()))
        .bind(&details.name)
        .bind(&details.contact)
        .bind(&details.service_address)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// The participants of a case who have not been removed, in the order they were added.
    pub async fn participants(&self, case: CaseId) -> StoreResult<Vec<ParticipantRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT_PARTICIPANT} WHERE case_id = $1 AND removed_at IS NULL ORDER BY created_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// The names of everyone who was ever a participant of `case`, removed ones included: the
    /// record names them too.
    pub async fn participant_names(
        &self,
        case: CaseId,
    ) -> StoreResult<Vec<(ParticipantId, String)>> {
        let rows = sqlx::query("SELECT id, name FROM participants WHERE case_id = $1")
            .bind(case.to_string())
            .fetch_all(self.pool())
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    stored_id(&row.try_get::<String, _>("id")?, ParticipantId::parse)?,
                    row.try_get("name")?,
                ))
            })
            .collect()
    }

    /// One participant of `case` who has not been removed.
    pub async fn participant(
        &self,
        case: CaseId,
        id: ParticipantId,
    ) -> StoreResult<ParticipantRecord> {
        let row = sqlx::query(&format!(
            "{SELECT_PARTICIPANT} WHERE id = $1 AND case_id = $2 AND removed_at IS NULL"
        ))
        .bind(id.to_string())
        .bind(case.to_string())
        .fetch_optional(self.pool())
        .await?
        .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    /// Changes a participant's name and contact details; their role in the case stays.
    pub async fn edit_participant(
        &self,
        case: CaseId,
        id: ParticipantId,
        details: &ParticipantDetails,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let edited = CaseEvent::ParticipantEdited {
            participant: id,
            name: details.name.clone(),
        };
        let updated = sqlx::query(
            "UPDATE participants SET name = $1, contact = $2, service_address = $3 \
             WHERE id = $4 AND case_id = $5 AND removed_at IS NULL",
        )
        .bind(&details.name)
        .bind(&details.contact)
        .bind(&details.service_address)
        .bind(id.to_string())
        .bind(case.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        events::append(&mut tx, case, actor, &edited, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes a participant from the case: their invitations stop working and any browser bound
    /// to them is signed out.
    pub async fn remove_participant(
        &self,
        case: CaseId,
        id: ParticipantId,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let updated = sqlx::query(
            "UPDATE participants SET removed_at = $1 WHERE id = $2 AND case_id = $3 \
             AND removed_at IS NULL",
        )
        .bind(now.millis())
        .bind(id.to_string())
        .bind(case.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        sqlx::query(
            "UPDATE invitations SET revoked_at = $1 WHERE participant_id = $2 AND revoked_at IS NULL",
        )
        .bind(now.millis())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM participant_sessions WHERE participant_id = $1")
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        events::append(
            &mut tx,
            case,
            actor,
            &CaseEvent::ParticipantRemoved { participant: id },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
