//! The mediator's notes of each sitting (调解笔录): every saved version kept, the text in its own
//! table and only its SHA-256 in the case's chain (`NotesSaved`), written in one transaction.
//! Reading a version brings along the hash the chain holds for it, so that a text changed in
//! the table after it was saved shows.

use super::cases::lock_for_write;
use super::{events, stored_id, Db, StoreError, StoreResult};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, UserId};
use crate::domain::notes::{self, NoteText, NotesRefusal, Sitting, SittingMark};
use crate::domain::Timestamp;
use crate::record::commitment::text_sha256;
use sqlx::{AnyConnection, Row as _};
use std::collections::HashMap;
use uuid::Uuid;

/// One saved version of the notes of a sitting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteVersion {
    pub version: u32,
    pub text: String,
    pub saved_by: UserId,
    pub saved_at: Timestamp,
    /// The SHA-256 the chain committed to for this version, if the chain has the event.
    pub chained_sha256: Option<String>,
}

/// The newest version of a sitting's notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LatestNotes {
    pub session: Uuid,
    pub version: u32,
    pub saved_at: Timestamp,
}

fn session_of(payload: &str) -> StoreResult<Uuid> {
    let value: serde_json::Value = serde_json::from_str(payload)
        .map_err(|e| StoreError::Corrupt(format!("event payload: {e}")))?;
    value["session"]
        .as_str()
        .and_then(|s| Uuid::parse_str(s).ok())
        .ok_or_else(|| StoreError::Corrupt("an event without its session".into()))
}

fn version_of(raw: i64) -> StoreResult<u32> {
    u32::try_from(raw).map_err(|_| StoreError::Corrupt(format!("notes version {raw}")))
}

async fn sittings_in(conn: &mut AnyConnection, case: CaseId) -> StoreResult<Vec<Sitting>> {
    let rows = sqlx::query(
        "SELECT at, kind, payload FROM case_events WHERE case_id = $1 \
         AND kind IN ('session_started', 'session_ended') ORDER BY seq",
    )
    .bind(case.to_string())
    .fetch_all(conn)
    .await?;
    let mut marks = Vec::with_capacity(rows.len());
    for row in &rows {
        let session = session_of(&row.try_get::<String, _>("payload")?)?;
        let mark = if row.try_get::<String, _>("kind")? == "session_started" {
            SittingMark::Started(session)
        } else {
            SittingMark::Ended(session)
        };
        marks.push((Timestamp::from_millis(row.try_get("at")?), mark));
    }
    Ok(notes::sittings(&marks))
}

impl Db {
    /// The sittings of a case, newest first.
    pub async fn sittings(&self, case: CaseId) -> StoreResult<Vec<Sitting>> {
        let mut conn = self.pool().acquire().await?;
        sittings_in(&mut conn, case).await
    }

    /// The newest version of the notes of each sitting that has some.
    pub async fn latest_notes(&self, case: CaseId) -> StoreResult<Vec<LatestNotes>> {
        let rows = sqlx::query(
            "SELECT session, MAX(version) AS version, MAX(saved_at) AS saved_at \
             FROM session_notes WHERE case_id = $1 GROUP BY session",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(LatestNotes {
                    session: stored_id(&row.try_get::<String, _>("session")?, |s| {
                        Uuid::parse_str(s).ok()
                    })?,
                    version: version_of(row.try_get("version")?)?,
                    saved_at: Timestamp::from_millis(row.try_get("saved_at")?),
                })
            })
            .collect()
    }

    /// Saves a new version of the notes of `session`, edited from version `base` (0 for none).
    /// Returns its number, or why the domain refused (and nothing was written).
    pub async fn save_notes(
        &self,
        case: CaseId,
        session: Uuid,
        base: u32,
        text: &NoteText,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<Result<u32, NotesRefusal>> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let sittings = sittings_in(&mut tx, case).await?;
        if !sittings.iter().any(|s| s.session == session) {
            return Ok(Err(NotesRefusal::UnknownSitting));
        }
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(version) FROM session_notes WHERE case_id = $1 AND session = $2",
        )
        .bind(case.to_string())
        .bind(session.to_string())
        .fetch_one(&mut *tx)
        .await?;
        let latest = latest.map(version_of).transpose()?.unwrap_or(0);
        let version = match notes::next_version(latest, base) {
            Ok(version) => version,
            Err(refused) => return Ok(Err(refused)),
        };
        sqlx::query(
            "INSERT INTO session_notes (case_id, session, version, text, saved_by, saved_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(case.to_string())
        .bind(session.to_string())
        .bind(i64::from(version))
        .bind(text.as_str())
        .bind(by.to_string())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let saved = CaseEvent::NotesSaved {
            session,
            version,
            text_sha256: text_sha256(text.as_str()),
        };
        events::append(&mut tx, case, EventActor::Staff(by), &saved, now).await?;
        tx.commit().await?;
        Ok(Ok(version))
    }

    /// Every version of the notes of `session`, newest first, each with the hash the chain
    /// holds for it.
    pub async fn notes(&self, case: CaseId, session: Uuid) -> StoreResult<Vec<NoteVersion>> {
        let mut conn = self.pool().acquire().await?;
        let events = sqlx::query(
            "SELECT payload FROM case_events WHERE case_id = $1 AND kind = 'notes_saved'",
        )
        .bind(case.to_string())
        .fetch_all(&mut *conn)
        .await?;
        let mut chained: HashMap<u32, String> = HashMap::new();
        for row in &events {
            let payload: serde_json::Value =
                serde_json::from_str(&row.try_get::<String, _>("payload")?)
                    .map_err(|e| StoreError::Corrupt(format!("notes_saved payload: {e}")))?;
            let ours = payload["session"].as_str() == Some(session.to_string().as_str());
            let version = payload["version"]
                .as_u64()
                .and_then(|v| u32::try_from(v).ok());
            if let (true, Some(version), Some(hash)) =
                (ours, version, payload["text_sha256"].as_str())
            {
                chained.insert(version, hash.to_owned());
            }
        }
        let rows = sqlx::query(
            "SELECT version, text, saved_by, saved_at FROM session_notes \
             WHERE case_id = $1 AND session = $2 ORDER BY version DESC",
        )
        .bind(case.to_string())
        .bind(session.to_string())
        .fetch_all(&mut *conn)
        .await?;
        rows.iter()
            .map(|row| {
                let version = version_of(row.try_get("version")?)?;
                Ok(NoteVersion {
                    version,
                    text: row.try_get("text")?,
                    saved_by: stored_id(&row.try_get::<String, _>("saved_by")?, UserId::parse)?,
                    saved_at: Timestamp::from_millis(row.try_get("saved_at")?),
                    chained_sha256: chained.remove(&version),
                })
            })
            .collect()
    }
}
