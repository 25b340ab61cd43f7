//! The first start: a one-time link that creates the first committee and its admin.

use super::{committees, users, Db, StoreResult};
use crate::domain::committee::NewCommittee;
use crate::domain::ids::{CommitteeId, UserId};
use crate::domain::staff::NewStaffUser;
use crate::domain::Timestamp;
use crate::secret::TokenHash;
use sqlx::Row as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupRefused {
    /// No such link, or it was already used, or the installation already has accounts.
    Invalid,
    Expired,
}

#[derive(Debug)]
pub enum SetupOutcome {
    Done {
        committee_id: CommitteeId,
        user_id: UserId,
    },
    Refused(SetupRefused),
}

impl Db {
    pub async fn issue_setup_token(
        &self,
        token: &TokenHash,
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)",
        )
        .bind(token.as_str())
        .bind(now.millis())
        .bind(expires_at.millis())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Uses the link once: creates the committee and its admin, all or nothing. Only an
    /// installation without any account can be set up this way.
    pub async fn complete_setup(
        &self,
        token: &TokenHash,
        committee: &NewCommittee,
        admin: &NewStaffUser,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<SetupOutcome> {
        let mut tx = self.pool().begin().await?;
        // Writing first takes the write lock at once, so two browsers racing with the same link
        // cannot both pass the checks below.
        let claimed = sqlx::query(
            "UPDATE setup_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
             RETURNING expires_at",
        )
        .bind(now.millis())
        .bind(token.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(claimed) = claimed else {
            return Ok(SetupOutcome::Refused(SetupRefused::Invalid));
        };
        if now.millis() >= claimed.try_get::<i64, _>("expires_at")? {
            return Ok(SetupOutcome::Refused(SetupRefused::Expired));
        }
        let existing: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(&mut *tx)
            .await?;
        if existing > 0 {
            return Ok(SetupOutcome::Refused(SetupRefused::Invalid));
        }
        let committee_id = committees::insert(&mut tx, committee, now).await?;
        let user_id = users::insert(&mut tx, committee_id, admin, password_hash, now).await?;
        tx.commit().await?;
        Ok(SetupOutcome::Done {
            committee_id,
            user_id,
        })
    }
}
