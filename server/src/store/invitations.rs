//! Invitation links: issued to one participant, redeemed once, revocable. Only the token's hash
//! is stored; the link itself exists only in the response that issued it.

use super::cases::lock_for_write;
use super::sessions::insert_participant_session;
use super::{events, label, new_uuid, stored_id, Db, StoreError, StoreResult};
use crate::domain::case::CaseStatus;
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, InvitationId, ParticipantId, UserId};
use crate::domain::Timestamp;
use crate::secret::TokenHash;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvitationRecord {
    pub id: InvitationId,
    pub participant_id: ParticipantId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub redeemed_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Why a presented invitation token opens nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RedeemRefused {
    /// No invitation has this token (mistyped, forged, or its participant was removed).
    Unknown,
    Expired,
    AlreadyUsed,
    Revoked,
    /// The case is archived: there is nothing left to join.
    CaseClosed,
}

/// A link about to be issued: its token's hash, who issues it, when, and until when it works.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvitation {
    pub token: TokenHash,
    pub issued_by: UserId,
    pub now: Timestamp,
    pub expires_at: Timestamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Redeemed {
    pub case_id: CaseId,
    pub participant_id: ParticipantId,
}

fn from_row(row: &AnyRow) -> StoreResult<InvitationRecord> {
    let at = |name: &str| -> StoreResult<Option<Timestamp>> {
        Ok(row
            .try_get::<Option<i64>, _>(name)?
            .map(Timestamp::from_millis))
    };
    Ok(InvitationRecord {
        id: stored_id(&row.try_get::<String, _>("id")?, InvitationId::parse)?,
        participant_id: stored_id(
            &row.try_get::<String, _>("participant_id")?,
            ParticipantId::parse,
        )?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        expires_at: Timestamp::from_millis(row.try_get("expires_at")?),
        redeemed_at: at("redeemed_at")?,
        revoked_at: at("revoked_at")?,
    })
}

async fn revoke(
    conn: &mut AnyConnection,
    case: CaseId,
    invitation: InvitationId,
    actor: EventActor,
    now: Timestamp,
) -> StoreResult<ParticipantId> {
    let participant: Option<String> = sqlx::query_scalar(
        "UPDATE invitations SET revoked_at = $1 WHERE id = $2 AND case_id = $3 \
         AND revoked_at IS NULL RETURNING participant_id",
    )
    .bind(now.millis())
    .bind(invitation.to_string())
    .bind(case.to_string())
    .fetch_optional(&mut *conn)
    .await?;
    let participant = stored_id(
        &participant.ok_or(StoreError::NotFound)?,
        ParticipantId::parse,
    )?;
    // A revoked link also signs out the browser that redeemed it: revocation is how a mediator
    // cuts off a link that reached the wrong person.
    sqlx::query("DELETE FROM participant_sessions WHERE invitation_id = $1")
        .bind(invitation.to_string())
        .execute(&mut *conn)
        .await?;
    events::append(
        conn,
        case,
        actor,
        &CaseEvent::InvitationRevoked { invitation },
        now,
    )
    .await?;
    Ok(participant)
}

async fn issue(
    conn: &mut AnyConnection,
    case: CaseId,
    participant: ParticipantId,
    new: &NewInvitation,
) -> StoreResult<InvitationId> {
    let NewInvitation {
        token,
        issued_by,
        now,
        expires_at,
    } = new;
    let (issued_by, now, expires_at) = (*issued_by, *now, *expires_at);
    let exists: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM participants WHERE id = $1 AND case_id = $2 AND removed_at IS NULL",
    )
    .bind(participant.to_string())
    .bind(case.to_string())
    .fetch_one(&mut *conn)
    .await?;
    if exists == 0 {
        return Err(StoreError::NotFound);
    }
    let id = InvitationId::from_uuid(new_uuid());
    sqlx::query(
        "INSERT INTO invitations (id, case_id, participant_id, token_hash, created_by, created_at, \
         expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(id.to_string())
    .bind(case.to_string())
    .bind(participant.to_string())
    .bind(token.as_str())
    .bind(issued_by.to_string())
    .bind(now.millis())
    .bind(expires_at.millis())
    .execute(&mut *conn)
    .await?;
    let issued = CaseEvent::InvitationIssued {
        invitation: id,
        participant,
        expires_at_ms: expires_at.millis(),
    };
    events::append(conn, case, EventActor::Staff(issued_by), &issued, now).await?;
    Ok(id)
}

impl Db {
    pub async fn issue_invitation(
        &self,
        case: CaseId,
        participant: ParticipantId,
        new: &NewInvitation,
    ) -> StoreResult<InvitationId> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, new.now).await?;
        let id = issue(&mut tx, case, participant, new).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn revoke_invitation(
        &self,
        case: CaseId,
        invitation: InvitationId,
        revoked_by: UserId,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        revoke(
            &mut tx,
            case,
            invitation,
            EventActor::Staff(revoked_by),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Revokes an invitation and issues a fresh one to the same participant, in one step.
    pub async fn reissue_invitation(
        &self,
        case: CaseId,
        invitation: InvitationId,
        new: &NewInvitation,
    ) -> StoreResult<InvitationId> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, new.now).await?;
        let actor = EventActor::Staff(new.issued_by);
        let participant = revoke(&mut tx, case, invitation, actor, new.now).await?;
        let id = issue(&mut tx, case, participant, new).await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn invitations(&self, case: CaseId) -> StoreResult<Vec<InvitationRecord>> {
        let rows = sqlx::query(
            "SELECT id, participant_id, created_at, expires_at, redeemed_at, revoked_at \
             FROM invitations WHERE case_id = $1 ORDER BY created_at, id",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Redeems an invitation once and binds the browser's new session token to its participant.
    pub async fn redeem_invitation(
        &self,
        token: &TokenHash,
        session: &TokenHash,
        now: Timestamp,
    ) -> StoreResult<Result<Redeemed, RedeemRefused>> {
        let mut tx = self.pool().begin().await?;
        // The claim is the first statement and a write, so two browsers presenting the same link
        // at once cannot both win it.
        let claimed = sqlx::query(
            "UPDATE invitations SET redeemed_at = $1 WHERE token_hash = $2 \
             AND redeemed_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
             RETURNING id, case_id, participant_id",
        )
        .bind(now.millis())
        .bind(token.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(claimed) = claimed else {
            return Ok(Err(why_not_redeemable(&mut tx, token).await?));
        };
        let invitation = stored_id(&claimed.try_get::<String, _>("id")?, InvitationId::parse)?;
        let case_id = stored_id(&claimed.try_get::<String, _>("case_id")?, CaseId::parse)?;
        let participant_id = stored_id(
            &claimed.try_get::<String, _>("participant_id")?,
            ParticipantId::parse,
        )?;
        let status: String = sqlx::query_scalar("SELECT status FROM cases WHERE id = $1")
            .bind(case_id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if label(&status, CaseStatus::parse)?.is_frozen() {
            return Ok(Err(RedeemRefused::CaseClosed));
        }
        insert_participant_session(&mut tx, session, participant_id, invitation, now).await?;
        let redeemed = CaseEvent::InvitationRedeemed {
            invitation,
            participant: participant_id,
        };
        let actor = EventActor::Participant(participant_id);
        events::append(&mut tx, case_id, actor, &redeemed, now).await?;
        tx.commit().await?;
        Ok(Ok(Redeemed {
            case_id,
            participant_id,
        }))
    }
}

async fn why_not_redeemable(
    conn: &mut AnyConnection,
    token: &TokenHash,
) -> StoreResult<RedeemRefused> {
    let row = sqlx::query("SELECT redeemed_at, revoked_at FROM invitations WHERE token_hash = $1")
        .bind(token.as_str())
        .fetch_optional(conn)
        .await?;
    let Some(row) = row else {
        return Ok(RedeemRefused::Unknown);
    };
    Ok(if row.try_get::<Option<i64>, _>("revoked_at")?.is_some() {
        RedeemRefused::Revoked
    } else if row.try_get::<Option<i64>, _>("redeemed_at")?.is_some() {
        RedeemRefused::AlreadyUsed
    } else {
        RedeemRefused::Expired
    })
}
