//! The texts stored beside a case's chain, gathered for
//! [`crate::record::commitment::check_kept_texts`]: chat messages,
//! the mediator's notes, comments on the agreement, the agreement's versions and the notes of
//! return visits.

use super::agreements::stored_version;
use super::{Db, StoreResult};
use crate::domain::ids::CaseId;
use crate::record::commitment::KeptText;
use serde_json::json;
use sqlx::Row as _;

impl Db {
    /// Every text of the case kept beside its chain, oldest first within each table.
    pub async fn kept_texts(&self, case: CaseId) -> StoreResult<Vec<KeptText>> {
        let id = case.to_string();
        let mut kept = Vec::new();
        let chat = sqlx::query(
            "SELECT member, text FROM chat_messages WHERE case_id = $1 ORDER BY posted_at, id",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for (n, row) in chat.iter().enumerate() {
            kept.push(KeptText {
                what: format!("chat message {}", n + 1),
                kind: "chat_posted",
                hash_member: "text_sha256",
                identity: vec![("member", json!(row.try_get::<String, _>("member")?))],
                text: row.try_get("text")?,
            });
        }
        let notes = sqlx::query(
            "SELECT session, version, text FROM session_notes WHERE case_id = $1 \
             ORDER BY saved_at, version",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for row in &notes {
            let version: i64 = row.try_get("version")?;
            kept.push(KeptText {
                what: format!("notes version {version}"),
                kind: "notes_saved",
                hash_member: "text_sha256",
                identity: vec![
                    ("session", json!(row.try_get::<String, _>("session")?)),
                    ("version", json!(version)),
                ],
                text: row.try_get("text")?,
            });
        }
        let comments = sqlx::query(
            "SELECT version, author, text FROM agreement_comments WHERE case_id = $1 \
             ORDER BY posted_at, id",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for (n, row) in comments.iter().enumerate() {
            kept.push(KeptText {
                what: format!("comment {} on the agreement", n + 1),
                kind: "agreement_commented",
                hash_member: "text_sha256",
                identity: vec![
                    ("version", json!(stored_version(row.try_get("version")?)?)),
                    ("author", json!(row.try_get::<String, _>("author")?)),
                ],
                text: row.try_get("text")?,
            });
        }
        for visit in self.follow_up_visits(case).await? {
            if let Some(note) = visit.note {
                kept.push(KeptText {
                    what: format!("the note of the visit about term {}", visit.term + 1),
                    kind: "follow_up_recorded",
                    hash_member: "note_sha256",
                    identity: vec![("visit", json!(visit.id))],
                    text: note,
                });
            }
        }
        for version in self.agreement_versions(case).await? {
            kept.push(KeptText {
                what: format!("agreement version {}", version.version),
                kind: "agreement_drafted",
                hash_member: "agreement_hash",
                identity: vec![("version", json!(version.version))],
                text: version.body,
            });
        }
        Ok(kept)
    }
}
