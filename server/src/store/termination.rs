//! Terminations (PML 26): the case moves to `terminated`, and the reasons and the notice of other
//! routes given to the parties are kept, all in one transaction with their events.

use super::cases::transition_in;
use super::{events, stored_id, Db, StoreError, StoreResult};
use crate::domain::case::{CaseTransition, TransitionError};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, UserId};
use crate::domain::staff::Language;
use crate::domain::termination::{NoticeGiven, RoutesNotice, Termination, TerminationReason};
use crate::domain::Timestamp;
use crate::record::commitment::text_sha256;
use serde::{Deserialize, Serialize};
use sqlx::Row as _;

/// A notice as it was given, word for word, in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GivenNotice {
    pub language: Language,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TerminationRecord {
    pub reasons: Vec<TerminationReason>,
    pub details: Option<String>,
    pub notice_version: String,
    /// The notice in each language, as given.
    pub notices: Vec<GivenNotice>,
    pub terminated_by: UserId,
    pub terminated_at: Timestamp,
}

impl Db {
    /// Ends the mediation of `case`: the `Terminate` transition, then the termination with the
    /// notices given; the inner error says why the lifecycle refused (and nothing was written).
    pub async fn terminate(
        &self,
        case: CaseId,
        termination: &Termination,
        notices: &[RoutesNotice],
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<Result<(), TransitionError>> {
        let actor = EventActor::Staff(by);
        let mut tx = self.pool().begin().await?;
        if let Err(refused) =
            transition_in(&mut tx, case, CaseTransition::Terminate, actor, now).await?
        {
            return Ok(Err(refused));
        }
        let terminated = CaseEvent::MediationTerminated {
            reasons: termination.reasons.clone(),
            details: termination.details.clone(),
            notices: notices
                .iter()
                .map(|n| NoticeGiven {
                    version: n.version.to_owned(),
                    language: n.language,
                    text_sha256: text_sha256(&n.shown()),
                })
                .collect(),
        };
        events::append(&mut tx, case, actor, &terminated, now).await?;
        let given: Vec<GivenNotice> = notices
            .iter()
            .map(|n| GivenNotice {
                language: n.language,
                title: n.title.clone(),
                body: n.body.clone(),
            })
            .collect();
        let version = notices.first().map_or("", |n| n.version);
        sqlx::query(
            "INSERT INTO terminations (case_id, reasons, details, notice_version, notices, \
             terminated_by, terminated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case.to_string())
        .bind(json(&termination.reasons)?)
        .bind(termination.details.as_deref())
        .bind(version)
        .bind(json(&given)?)
        .bind(by.to_string())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The termination of a case, if its mediation was terminated.
    pub async fn termination(&self, case: CaseId) -> StoreResult<Option<TerminationRecord>> {
        let row = sqlx::query(
            "SELECT reasons, details, notice_version, notices, terminated_by, terminated_at \
             FROM terminations WHERE case_id = $1",
        )
        .bind(case.to_string())
        .fetch_optional(self.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        Ok(Some(TerminationRecord {
            reasons: parse_json(&row.try_get::<String, _>("reasons")?)?,
            details: row.try_get("details")?,
            notice_version: row.try_get("notice_version")?,
            notices: parse_json(&row.try_get::<String, _>("notices")?)?,
            terminated_by: stored_id(&row.try_get::<String, _>("terminated_by")?, UserId::parse)?,
            terminated_at: Timestamp::from_millis(row.try_get("terminated_at")?),
        }))
    }
}

fn json<T: Serialize>(value: &T) -> StoreResult<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(format!("not serialisable: {e}")))
}

fn parse_json<T: serde::de::DeserializeOwned>(raw: &str) -> StoreResult<T> {
    serde_json::from_str(raw).map_err(|e| StoreError::Corrupt(format!("termination: {e}")))
}
