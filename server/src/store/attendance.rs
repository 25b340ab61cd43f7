//! The parties' consents to invited participants and observers (PML 20, 23(3)).

use super::cases::lock_for_write;
use super::{events, new_uuid, stored_id, Db, StoreError, StoreResult};
use crate::domain::consent::attendance::missing_consents;
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::participant::ParticipantRole;
use crate::domain::staff::Language;
use crate::domain::Timestamp;
use sqlx::Row as _;

/// A consent in force: which party agreed to which attendee, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceConsent {
    pub party: ParticipantId,
    pub attendee: ParticipantId,
    pub given_at: Timestamp,
}

/// A party's consent to one attendee, to the text they were shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAttendanceConsent {
    pub attendee: ParticipantId,
    pub version: String,
    pub language: Language,
    pub text_hash: String,
}

impl Db {
    /// Records `party`'s consent to an attendee, unless one to the same text is in force.
    pub async fn give_attendance_consent(
        &self,
        case: CaseId,
        party: ParticipantId,
        consent: &NewAttendanceConsent,
        now: Timestamp,
    ) -> StoreResult<()> {
        let NewAttendanceConsent {
            attendee,
            version,
            language,
            text_hash,
        } = consent;
        let (attendee, language) = (*attendee, *language);
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let in_force: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM attendance_consents WHERE party_id = $1 AND attendee_id = $2 \
             AND text_hash = $3 AND withdrawn_at IS NULL",
        )
        .bind(party.to_string())
        .bind(attendee.to_string())
        .bind(text_hash)
        .fetch_one(&mut *tx)
        .await?;
        if in_force > 0 {
            return Ok(());
        }
        sqlx::query(
            "UPDATE attendance_consents SET withdrawn_at = $1 WHERE party_id = $2 \
             AND attendee_id = $3 AND withdrawn_at IS NULL",
        )
        .bind(now.millis())
        .bind(party.to_string())
        .bind(attendee.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO attendance_consents (id, case_id, party_id, attendee_id, text_version, \
             language, text_hash, given_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_uuid().to_string())
        .bind(case.to_string())
        .bind(party.to_string())
        .bind(attendee.to_string())
        .bind(version)
        .bind(language.as_str())
        .bind(text_hash)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let given = CaseEvent::AttendanceConsented {
            party,
            attendee,
            version: version.clone(),
            language,
            text_hash: text_hash.clone(),
        };
        events::append(&mut tx, case, EventActor::Participant(party), &given, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Withdraws `party`'s consent to `attendee`; `NotFound` when none is in force.
    pub async fn withdraw_attendance_consent(
        &self,
        case: CaseId,
        party: ParticipantId,
        attendee: ParticipantId,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let updated = sqlx::query(
            "UPDATE attendance_consents SET withdrawn_at = $1 WHERE party_id = $2 \
             AND attendee_id = $3 AND case_id = $4 AND withdrawn_at IS NULL",
        )
        .bind(now.millis())
        .bind(party.to_string())
        .bind(attendee.to_string())
        .bind(case.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        let withdrawn = CaseEvent::AttendanceConsentWithdrawn { party, attendee };
        events::append(
            &mut tx,
            case,
            EventActor::Participant(party),
            &withdrawn,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The attendance consents in force in a case.
    pub async fn attendance_consents(&self, case: CaseId) -> StoreResult<Vec<AttendanceConsent>> {
        let rows = sqlx::query(
            "SELECT party_id, attendee_id, given_at FROM attendance_consents \
             WHERE case_id = $1 AND withdrawn_at IS NULL ORDER BY given_at, id",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(AttendanceConsent {
                    party: stored_id(&row.try_get::<String, _>("party_id")?, ParticipantId::parse)?,
                    attendee: stored_id(
                        &row.try_get::<String, _>("attendee_id")?,
                        ParticipantId::parse,
                    )?,
                    given_at: Timestamp::from_millis(row.try_get("given_at")?),
                })
            })
            .collect()
    }

    /// The parties of the case who have not consented to `attendee` attending (PML 20,
    /// 23(3)): empty when a mediator may admit them.
    pub async fn parties_not_consenting_to(
        &self,
        case: CaseId,
        attendee: ParticipantId,
    ) -> StoreResult<Vec<ParticipantId>> {
        let parties: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM participants WHERE case_id = $1 AND role = $2 AND removed_at IS NULL \
             ORDER BY created_at, id",
        )
        .bind(case.to_string())
        .bind(ParticipantRole::Party.as_str())
        .fetch_all(self.pool())
        .await?;
        let parties = parties
            .iter()
            .map(|id| stored_id(id, ParticipantId::parse))
            .collect::<StoreResult<Vec<_>>>()?;
        let consented: Vec<ParticipantId> = self
            .attendance_consents(case)
            .await?
            .into_iter()
            .filter(|c| c.attendee == attendee)
            .map(|c| c.party)
            .collect();
        Ok(missing_consents(&parties, &consented))
    }
}
