//! Agents' authority to sign for the party they represent (特别授权), checked by a mediator.

use super::cases::lock_for_write;
use super::{events, Db, StoreResult};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::participant::ParticipantRole;
use crate::domain::Timestamp;

impl Db {
    /// The agents of `case` whose authority to sign for their principal a mediator checked.
    pub async fn authorised_agents(&self, case: CaseId) -> StoreResult<Vec<ParticipantId>> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM participants WHERE case_id = $1 AND role = $2 \
             AND removed_at IS NULL AND signing_authority_at IS NOT NULL",
        )
        .bind(case.to_string())
        .bind(ParticipantRole::Agent.as_str())
        .fetch_all(self.pool())
        .await?;
        ids.iter()
            .map(|id| super::stored_id(id, ParticipantId::parse))
            .collect()
    }

    /// Records that a mediator checked `agent`'s power of attorney: it gives special authority
    /// to settle and sign for their principal, who from now on may sign through them. `None`
    /// if `agent` is not an agent of this case.
    pub async fn verify_signing_authority(
        &self,
        case: CaseId,
        agent: ParticipantId,
        document_sha256: Option<&str>,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Option<ParticipantId>> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let principal: Option<Option<String>> = sqlx::query_scalar(
            "SELECT represents FROM participants WHERE case_id = $1 AND id = $2 AND role = $3 \
             AND removed_at IS NULL",
        )
        .bind(case.to_string())
        .bind(agent.to_string())
        .bind(ParticipantRole::Agent.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(Some(principal)) = principal else {
            return Ok(None);
        };
        let principal = super::stored_id(&principal, ParticipantId::parse)?;
        let verified = CaseEvent::SigningAuthorityVerified {
            agent,
            principal,
            document_sha256: document_sha256.map(str::to_owned),
        };
        events::append(&mut tx, case, actor, &verified, now).await?;
        sqlx::query(
            "UPDATE participants SET signing_authority_at = $1 WHERE case_id = $2 AND id = $3",
        )
        .bind(now.millis())
        .bind(case.to_string())
        .bind(agent.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(principal))
    }
}
