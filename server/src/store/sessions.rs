//! Signed-in browsers: staff sessions after a login, participant sessions after an invitation is
//! redeemed. Only token hashes are stored.

use super::users::Accounts;
use super::{label, stored_id, Db, StoreResult};
use crate::domain::ids::{CaseId, CommitteeId, ParticipantId, SupervisorId, UserId};
use crate::domain::participant::ParticipantRole;
use crate::domain::permissions::{ParticipantActor, StaffActor};
use crate::domain::session::{SessionPolicy, TOUCH_INTERVAL_MS};
use crate::domain::staff::StaffRole;
use crate::domain::supervision::SupervisorActor;
use crate::domain::Timestamp;
use crate::secret::TokenHash;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};
use uuid::Uuid;

pub(super) async fn insert_participant_session(
    conn: &mut AnyConnection,
    token: &TokenHash,
    participant: ParticipantId,
    invitation: crate::domain::ids::InvitationId,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO participant_sessions (token_hash, participant_id, invitation_id, created_at, \
         last_seen_at) VALUES ($1, $2, $3, $4, $4)",
    )
    .bind(token.as_str())
    .bind(participant.to_string())
    .bind(invitation.to_string())
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The participants' table of signed-in browsers; [`Accounts::sessions`] names the others.
const PARTICIPANTS: &str = "participant_sessions";

impl Db {
    /// Notes that a session was used now, unless that was noted a moment ago.
    async fn touch(
        &self,
        table: &'static str,
        token: &TokenHash,
        last_seen: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()> {
        if now.millis() - last_seen.millis() >= TOUCH_INTERVAL_MS {
            sqlx::query(&format!(
                "UPDATE {table} SET last_seen_at = $1 WHERE token_hash = $2"
            ))
            .bind(now.millis())
            .bind(token.as_str())
            .execute(self.pool())
            .await?;
        }
        Ok(())
    }

    /// Starts a session of a password account (staff or supervisor) for this token.
    pub async fn create_session(
        &self,
        accounts: Accounts,
        token: &TokenHash,
        account: Uuid,
        now: Timestamp,
    ) -> StoreResult<()> {
        let (table, owner) = accounts.sessions();
        sqlx::query(&format!(
            "INSERT INTO {table} (token_hash, {owner}, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $3)"
        ))
        .bind(token.as_str())
        .bind(account.to_string())
        .bind(now.millis())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    pub async fn end_session(&self, accounts: Accounts, token: &TokenHash) -> StoreResult<()> {
        let (table, _) = accounts.sessions();
        sqlx::query(&format!("DELETE FROM {table} WHERE token_hash = $1"))
            .bind(token.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Whether the password account's session read in `row` (its `created_at` and
    /// `last_seen_at`) is live now: an expired one is deleted on sight, a live one touched.
    async fn still_live(
        &self,
        accounts: Accounts,
        token: &TokenHash,
        row: &AnyRow,
        policy: SessionPolicy,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let created = Timestamp::from_millis(row.try_get("created_at")?);
        let last_seen = Timestamp::from_millis(row.try_get("last_seen_at")?);
        if !policy.is_live(created, last_seen, now) {
            self.end_session(accounts, token).await?;
            return Ok(false);
        }
        self.touch(accounts.sessions().0, token, last_seen, now)
            .await?;
        Ok(true)
    }

    /// The staff member signed in by this token, if the session is live and the account enabled.
    /// An expired session is deleted on sight.
    pub async fn staff_session(
        &self,
        token: &TokenHash,
        policy: SessionPolicy,
        now: Timestamp,
    ) -> StoreResult<Option<StaffActor>> {
        let row = sqlx::query(
            "SELECT s.created_at, s.last_seen_at, u.id, u.committee_id, u.role \
             FROM staff_sessions s JOIN users u ON u.id = s.user_id \
             WHERE s.token_hash = $1 AND u.disabled_at IS NULL",
        )
        .bind(token.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        if !self
            .still_live(Accounts::Staff, token, &row, policy, now)
            .await?
        {
            return Ok(None);
        }
        Ok(Some(StaffActor {
            user_id: stored_id(&row.try_get::<String, _>("id")?, UserId::parse)?,
            committee_id: stored_id(
                &row.try_get::<String, _>("committee_id")?,
                CommitteeId::parse,
            )?,
            role: label(&row.try_get::<String, _>("role")?, StaffRole::parse)?,
        }))
    }

    /// The supervisor signed in by this token, if the session is live and the account enabled.
    /// Supervisors keep the staff's session policy. An expired session is deleted on sight.
    pub async fn supervisor_session(
        &self,
        token: &TokenHash,
        policy: SessionPolicy,
        now: Timestamp,
    ) -> StoreResult<Option<SupervisorActor>> {
        let row = sqlx::query(
            "SELECT s.created_at, s.last_seen_at, u.id, u.region \
             FROM supervisor_sessions s JOIN supervisors u ON u.id = s.supervisor_id \
             WHERE s.token_hash = $1 AND u.disabled_at IS NULL",
        )
        .bind(token.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        if !self
            .still_live(Accounts::Supervisors, token, &row, policy, now)
            .await?
        {
            return Ok(None);
        }
        Ok(Some(SupervisorActor {
            supervisor_id: stored_id(&row.try_get::<String, _>("id")?, SupervisorId::parse)?,
            region: row.try_get("region")?,
        }))
    }

    /// The participant this browser is bound to, if the session is live, the participant still
    /// on the case and the invitation not revoked.
    pub async fn participant_session(
        &self,
        token: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Option<ParticipantActor>> {
        let row = sqlx::query(
            "SELECT s.created_at, s.last_seen_at, p.id, p.case_id, p.role \
             FROM participant_sessions s \
             JOIN participants p ON p.id = s.participant_id \
             JOIN invitations i ON i.id = s.invitation_id \
             WHERE s.token_hash = $1 AND p.removed_at IS NULL AND i.revoked_at IS NULL",
        )
        .bind(token.as_str())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        let created = Timestamp::from_millis(row.try_get("created_at")?);
        let last_seen = Timestamp::from_millis(row.try_get("last_seen_at")?);
        if !SessionPolicy::PARTICIPANT.is_live(created, last_seen, now) {
            self.end_participant_session(token).await?;
            return Ok(None);
        }
        self.touch(PARTICIPANTS, token, last_seen, now).await?;
        Ok(Some(ParticipantActor {
            participant_id: stored_id(&row.try_get::<String, _>("id")?, ParticipantId::parse)?,
            case_id: stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?,
            role: label(&row.try_get::<String, _>("role")?, ParticipantRole::parse)?,
        }))
    }

    pub async fn end_participant_session(&self, token: &TokenHash) -> StoreResult<()> {
        sqlx::query("DELETE FROM participant_sessions WHERE token_hash = $1")
            .bind(token.as_str())
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
