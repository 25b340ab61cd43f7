//! A court's answers to a judicial-confirmation application (CPL 205-206), as its authenticated
//! callbacks bring them: each callback's nonce is recorded in the same transaction as what it
//! changes, so the same signed callback sent twice changes nothing the second time.

use super::cases::lock_for_write;
use super::confirmation::{from_row, mark_delivered, SELECT};
use super::{events, label, Db, StoreError, StoreResult};
use crate::domain::confirmation::{
    apply_answer, AnswerEffect, AnswerRefused, ApplicationStatus, CourtAnswer, CALLBACK_WINDOW_MS,
};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::Timestamp;
use sqlx::AnyConnection;

/// Nonces are kept this long past their signing time: twice the window in which a callback is
/// taken at all, so that one cannot come back into the window through a clock stepping back.
const KEEP_NONCES_MS: i64 = 2 * CALLBACK_WINDOW_MS;

/// A court's answer, from a callback whose signature and time have been checked.
#[derive(Debug, Clone, Copy)]
pub struct AnswerReceived<'a> {
    pub court_id: &'a str,
    /// The bundle answered about: the Idempotency-Key it was delivered with.
    pub bundle_sha256: &'a str,
    pub answer: CourtAnswer,
    pub court_case_number: Option<&'a str>,
    pub reason: Option<&'a str>,
    /// The callback's nonce and signing time, both under the court's signature.
    pub nonce: &'a str,
    pub issued_at: Timestamp,
}

/// Why an authentic answer was not recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AnswerNotRecorded {
    /// This court already sent a callback with this nonce: a replay. Nothing was recorded.
    #[error("this callback was received before (its nonce is used): a replay changes nothing")]
    Replayed,
    /// The answer contradicts a decision already recorded.
    #[error(transparent)]
    Refused(AnswerRefused),
}

impl Db {
    /// Records a court's answer. A replayed callback records nothing, not even the delivery it
    /// would prove.
    pub async fn court_answered(
        &self,
        received: AnswerReceived<'_>,
        now: Timestamp,
    ) -> StoreResult<Result<AnswerEffect, AnswerNotRecorded>> {
        let row = sqlx::query(&format!(
            "{SELECT} WHERE a.bundle_sha256 = $1 AND a.court_id = $2"
        ))
        .bind(received.bundle_sha256)
        .bind(received.court_id)
        .fetch_optional(self.pool())
        .await?;
        let record = row
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, record.case_id, now).await?;
        if !claim_nonce(&mut tx, &received, now).await? {
            // Dropping the transaction rolls back the lock's touch: nothing is written.
            return Ok(Err(AnswerNotRecorded::Replayed));
        }
        // An answer proves the court has the bundle, even if its reply to the POST was lost.
        mark_delivered(&mut tx, &record, now).await?;
        let status: String =
            sqlx::query_scalar("SELECT status FROM judicial_applications WHERE id = $1")
                .bind(record.id.to_string())
                .fetch_one(&mut *tx)
                .await?;
        let effect = match apply_answer(label(&status, ApplicationStatus::parse)?, received.answer)
        {
            Ok(effect) => effect,
            Err(refused) => {
                // The delivery it proves, and its nonce, stand; the answer does not.
                tx.commit().await?;
                return Ok(Err(AnswerNotRecorded::Refused(refused)));
            }
        };
        if let AnswerEffect::Advance(next) = effect {
            sqlx::query(
                "UPDATE judicial_applications SET status = $1, answered_at = $2, \
                 court_case_number = COALESCE($3, court_case_number), \
                 court_reason = COALESCE($4, court_reason) WHERE id = $5",
            )
            .bind(next.as_str())
            .bind(now.millis())
            .bind(received.court_case_number)
            .bind(received.reason)
            .bind(record.id.to_string())
            .execute(&mut *tx)
            .await?;
        }
        if effect != AnswerEffect::Repeat {
            let event = CaseEvent::CourtAnswered {
                application: record.id,
                answer: received.answer,
                court_case_number: received.court_case_number.map(str::to_owned),
                reason: received.reason.map(str::to_owned),
            };
            events::append(&mut tx, record.case_id, EventActor::System, &event, now).await?;
        }
        tx.commit().await?;
        Ok(Ok(effect))
    }
}

/// Records the callback's nonce; false when this court used it before. Prunes nonces too old
/// to matter on the way.
async fn claim_nonce(
    conn: &mut AnyConnection,
    received: &AnswerReceived<'_>,
    now: Timestamp,
) -> StoreResult<bool> {
    sqlx::query("DELETE FROM court_callback_nonces WHERE issued_at < $1")
        .bind(now.millis().saturating_sub(KEEP_NONCES_MS))
        .execute(&mut *conn)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO court_callback_nonces (court_id, nonce, issued_at) VALUES ($1, $2, $3) \
         ON CONFLICT (court_id, nonce) DO NOTHING",
    )
    .bind(received.court_id)
    .bind(received.nonce)
    .bind(received.issued_at.millis())
    .execute(&mut *conn)
    .await?;
    Ok(inserted.rows_affected() == 1)
}
