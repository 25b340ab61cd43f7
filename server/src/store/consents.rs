//! Consents: given to an exact text, withdrawn by setting a time, never deleted.

use super::cases::lock_for_write;
use super::{events, label, new_uuid, Db, StoreError, StoreResult};
use crate::domain::consent::{ConsentKind, TEXTS_VERSION};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::participant::ParticipantRole;
use crate::domain::staff::Language;
use crate::domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row as _;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsentRecord {
    pub participant_id: ParticipantId,
    pub kind: ConsentKind,
    pub text_version: String,
    pub language: Language,
    pub text_hash: String,
    pub channel: String,
    pub given_at: Timestamp,
    pub withdrawn_at: Option<Timestamp>,
}

/// A consent as given: to which text, through which channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConsent {
    pub kind: ConsentKind,
    pub text_version: String,
    pub language: Language,
    pub text_hash: String,
    pub channel: &'static str,
}

impl ConsentRecord {
    /// The consent of `kind` in force among `records`: not withdrawn, and given to the texts as
    /// they are now. When the wording changes, everyone is asked again.
    pub fn in_force(records: &[ConsentRecord], kind: ConsentKind) -> Option<&ConsentRecord> {
        records
            .iter()
            .rev()
            .find(|r| r.kind == kind && r.withdrawn_at.is_none() && r.text_version == TEXTS_VERSION)
    }
}

const SELECT_CONSENT: &str = "SELECT participant_id, kind, text_version, language, text_hash, \
     channel, given_at, withdrawn_at FROM consents";

fn from_row(row: &AnyRow) -> StoreResult<ConsentRecord> {
    Ok(ConsentRecord {
        participant_id: super::stored_id(
            &row.try_get::<String, _>("participant_id")?,
            ParticipantId::parse,
        )?,
        kind: label(&row.try_get::<String, _>("kind")?, ConsentKind::parse)?,
        text_version: row.try_get("text_version")?,
        language: label(&row.try_get::<String, _>("language")?, Language::parse)?,
        text_hash: row.try_get("text_hash")?,
        channel: row.try_get("channel")?,
        given_at: Timestamp::from_millis(row.try_get("given_at")?),
        withdrawn_at: row
            .try_get::<Option<i64>, _>("withdrawn_at")?
            .map(Timestamp::from_millis),
    })
}

impl Db {
    /// The consents a participant in `role` still lacks before they may be in a live session.
    pub async fn consents_missing_to_join(
        &self,
        participant: ParticipantId,
        role: ParticipantRole,
    ) -> StoreResult<Vec<ConsentKind>> {
        let records = self.consents_of(participant).await?;
        Ok(ConsentKind::required_to_join(role)
            .iter()
            .filter(|kind| ConsentRecord::in_force(&records, **kind).is_none())
            .copied()
            .collect())
    }

    /// Records a consent, unless the same one (kind and text) is already in force.
    pub async fn give_consent(
        &self,
        case: CaseId,
        participant: ParticipantId,
        consent: &NewConsent,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let in_force: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM consents WHERE participant_id = $1 AND kind = $2 \
             AND text_hash = $3 AND withdrawn_at IS NULL",
        )
        .bind(participant.to_string())
        .bind(consent.kind.as_str())
        .bind(&consent.text_hash)
        .fetch_one(&mut *tx)
        .await?;
        if in_force > 0 {
            return Ok(());
        }
        // A new text of the same kind replaces the old consent.
        sqlx::query(
            "UPDATE consents SET withdrawn_at = $1 WHERE participant_id = $2 AND kind = $3 \
             AND withdrawn_at IS NULL",
        )
        .bind(now.millis())
        .bind(participant.to_string())
        .bind(consent.kind.as_str())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO consents (id, case_id, participant_id, kind, text_version, language, \
             text_hash, channel, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(new_uuid().to_string())
        .bind(case.to_string())
        .bind(participant.to_string())
        .bind(consent.kind.as_str())
        .bind(&consent.text_version)
        .bind(consent.language.as_str())
        .bind(&consent.text_hash)
        .bind(consent.channel)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let given = CaseEvent::ConsentGiven {
            participant,
            kind: consent.kind,
            version: consent.text_version.clone(),
            language: consent.language,
            text_hash: consent.text_hash.clone(),
            channel: consent.channel.to_owned(),
        };
        events::append(
            &mut tx,
            case,
            EventActor::Participant(participant),
            &given,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws the consent of that kind in force; `NotFound` when none is.
    pub async fn withdraw_consent(
        &self,
        case: CaseId,
        participant: ParticipantId,
        kind: ConsentKind,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let updated = sqlx::query(
            "UPDATE consents SET withdrawn_at = $1 WHERE participant_id = $2 AND case_id = $3 \
             AND kind = $4 AND withdrawn_at IS NULL",
        )
        .bind(now.millis())
        .bind(participant.to_string())
        .bind(case.to_string())
        .bind(kind.as_str())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let withdrawn = CaseEvent::ConsentWithdrawn { participant, kind };
        events::append(
            &mut tx,
            case,
            EventActor::Participant(participant),
            &withdrawn,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every consent a participant gave, oldest first, withdrawn ones included.
    pub async fn consents_of(&self, participant: ParticipantId) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT_CONSENT} WHERE participant_id = $1 ORDER BY given_at, id"
        ))
        .bind(participant.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Every consent given in a case, oldest first.
    pub async fn case_consents(&self, case: CaseId) -> StoreResult<Vec<ConsentRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT_CONSENT} WHERE case_id = $1 ORDER BY given_at, id"
        ))
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }
}
