//! The case event log: appended in the same transaction as the projections it explains, each
//! event chained to the one before by its hash (record/chain.rs).

use super::{Db, StoreError, StoreResult};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::CaseId;
use crate::domain::Timestamp;
use crate::record::chain::{self, ChainBreak, ChainedEvent, EventBody, EventHash};
use sqlx::{AnyConnection, Row as _};

/// Appends `event` to the log of `case` and returns its sequence number.
///
/// The first statement bumps the case row's sequence, which takes the row's write lock (the
/// database's write lock on SQLite) before anything is read: concurrent appends to one case
/// queue up instead of forking the chain.
pub async fn append(
    conn: &mut AnyConnection,
    case: CaseId,
    actor: EventActor,
    event: &CaseEvent,
    now: Timestamp,
) -> StoreResult<u64> {
    let head = sqlx::query(
        "UPDATE cases SET event_seq = event_seq + 1, updated_at = $1 WHERE id = $2 \
         RETURNING event_seq, event_head",
    )
    .bind(now.millis())
    .bind(case.to_string())
    .fetch_optional(&mut *conn)
    .await?
    .ok_or(StoreError::NotFound)?;
    let seq: i64 = head.try_get("event_seq")?;
    let prev = EventHash::from_hex(&head.try_get::<String, _>("event_head")?)
        .map_err(|e| StoreError::Corrupt(format!("event head of case {case}: {e}")))?;
    let (kind, payload) = event.to_parts();
    let body = EventBody {
        case_id: case.to_string(),
        seq: u64::try_from(seq).map_err(|_| StoreError::Corrupt("negative event seq".into()))?,
        at_ms: now.millis(),
        actor: actor.to_string(),
        kind,
        payload,
    };
    let hash = chain::hash_event(&prev, &body)
        .map_err(|e| StoreError::Corrupt(format!("event not canonicalisable: {e}")))?;
    sqlx::query(
        "INSERT INTO case_events (case_id, seq, at, actor, kind, payload, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&body.case_id)
    .bind(seq)
    .bind(body.at_ms)
    .bind(&body.actor)
    .bind(&body.kind)
    .bind(body.payload.to_string())
    .bind(prev.to_hex())
    .bind(hash.to_hex())
    .execute(&mut *conn)
    .await?;
    sqlx::query("UPDATE cases SET event_head = $1 WHERE id = $2")
        .bind(hash.to_hex())
        .bind(case.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(body.seq)
}

impl Db {
    /// The whole log of a case, in order, as stored.
    pub async fn case_events(&self, case: CaseId) -> StoreResult<Vec<ChainedEvent>> {
        let rows = sqlx::query(
            "SELECT case_id, seq, at, actor, kind, payload, prev_hash, hash FROM case_events \
             WHERE case_id = $1 ORDER BY seq",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let corrupt = |what: &str, e: &dyn std::fmt::Display| {
                    StoreError::Corrupt(format!("case event {what}: {e}"))
                };
                let payload: String = row.try_get("payload")?;
                Ok(ChainedEvent {
                    body: EventBody {
                        case_id: row.try_get("case_id")?,
                        seq: u64::try_from(row.try_get::<i64, _>("seq")?)
                            .map_err(|e| corrupt("seq", &e))?,
                        at_ms: row.try_get("at")?,
                        actor: row.try_get("actor")?,
                        kind: row.try_get("kind")?,
                        payload: serde_json::from_str(&payload)
                            .map_err(|e| corrupt("payload", &e))?,
                    },
                    prev_hash: EventHash::from_hex(&row.try_get::<String, _>("prev_hash")?)
                        .map_err(|e| corrupt("prev_hash", &e))?,
                    hash: EventHash::from_hex(&row.try_get::<String, _>("hash")?)
                        .map_err(|e| corrupt("hash", &e))?,
                })
            })
            .collect()
    }

    /// Walks the chain of a case; `Ok(Err(break))` names the first event that does not hold.
    pub async fn verify_case_events(&self, case: CaseId) -> StoreResult<Result<(), ChainBreak>> {
        let events = self.case_events(case).await?;
        Ok(chain::verify_chain(&events))
    }
}

impl Db {
    /// Appends events to a case's log in one transaction, in order. An archived case refuses.
    pub async fn append_case_events(
        &self,
        case: CaseId,
        events: &[(EventActor, CaseEvent)],
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        super::cases::lock_for_write(&mut tx, case, now).await?;
        for (actor, event) in events {
            append(&mut tx, case, *actor, event, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A chat message to keep beside the event that commits to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatMessage {
    pub session: uuid::Uuid,
    pub member: String,
    pub room: u32,
    pub text: String,
    pub text_sha256: String,
}

impl Db {
    /// Like [`Db::append_case_events`], also keeping the texts of the chat messages among them.
    pub async fn append_case_events_with_chat(
        &self,
        case: CaseId,
        events: &[(EventActor, CaseEvent)],
        chat: &[ChatMessage],
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        super::cases::lock_for_write(&mut tx, case, now).await?;
        for (actor, event) in events {
            append(&mut tx, case, *actor, event, now).await?;
        }
        for message in chat {
            sqlx::query(
                "INSERT INTO chat_messages (id, case_id, session, member, room, text, \
                 text_sha256, posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(super::new_uuid().to_string())
            .bind(case.to_string())
            .bind(message.session.to_string())
            .bind(&message.member)
            .bind(i64::from(message.room))
            .bind(&message.text)
            .bind(&message.text_sha256)
            .bind(now.millis())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
