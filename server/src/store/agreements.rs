//! The agreement's versions and the comments on them. Signing is in [`super::signing`].

use super::cases::{change_status, lock_for_write};
use super::{events, label, new_uuid, Db, StoreError, StoreResult};
use crate::domain::agreement::lifecycle::{
    plan_draft, plan_finalise, takes_effect_when_recorded, AgreementRefused, LatestVersion,
};
use crate::domain::agreement::{AgreementBody, AgreementForm, AgreementStage};
use crate::domain::case::{CaseStatus, CaseTransition};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::CaseId;
use crate::domain::Timestamp;
use crate::record::agreement::agreement_hash;
use crate::record::canonical::canonical_bytes_of;
use crate::record::commitment::text_sha256;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

/// One stored version: `body` is the canonical JSON every signer signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementVersionRecord {
    pub version: u64,
    pub form: AgreementForm,
    pub body: String,
    pub agreement_hash: String,
    pub created_at: Timestamp,
    pub finalised_at: Option<Timestamp>,
    pub voided_at: Option<Timestamp>,
    /// When it took effect (effective_at): when the seal went on a written agreement, or when
    /// the mediator recorded an oral one (PML 30).
    pub sealed_at: Option<Timestamp>,
}

impl AgreementVersionRecord {
    /// The body as the typed agreement.
    pub fn parsed(&self) -> StoreResult<AgreementBody> {
        serde_json::from_str(&self.body)
            .map_err(|e| StoreError::Corrupt(format!("agreement version {}: {e}", self.version)))
    }

    /// Where this version stands: in effect once sealed (or recorded, if oral), open for
    /// signing once frozen unless a later draft voided it, else a draft.
    pub fn stage(&self) -> AgreementStage {
        match (self.finalised_at, self.sealed_at) {
            (_, Some(_)) => AgreementStage::Effective,
            (Some(_), None) if self.voided_at.is_none() => AgreementStage::Signing,
            _ => AgreementStage::Draft,
        }
    }

    /// The body as JSON, for packaging.
    pub fn value(&self) -> StoreResult<serde_json::Value> {
        serde_json::from_str(&self.body)
            .map_err(|e| StoreError::Corrupt(format!("agreement version {}: {e}", self.version)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommentRecord {
    pub version: u64,
    /// `p-<participant>` or `s-<staff user>`.
    pub author: String,
    pub author_name: String,
    pub text: String,
    pub posted_at: Timestamp,
}

const SELECT_VERSION: &str = "SELECT version, form, body, body_sha256, created_at, finalised_at, \
     voided_at, sealed_at FROM agreement_versions";

fn version_from_row(row: &AnyRow) -> StoreResult<AgreementVersionRecord> {
    let at = |column: &str| -> StoreResult<Option<Timestamp>> {
        Ok(row
            .try_get::<Option<i64>, _>(column)?
            .map(Timestamp::from_millis))
    };
    Ok(AgreementVersionRecord {
        version: stored_version(row.try_get("version")?)?,
        form: label(&row.try_get::<String, _>("form")?, AgreementForm::parse)?,
        body: row.try_get("body")?,
        agreement_hash: row.try_get("body_sha256")?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        finalised_at: at("finalised_at")?,
        voided_at: at("voided_at")?,
        sealed_at: at("sealed_at")?,
    })
}

/// Puts `version` in effect now, once what made it so is in the chain: it is effective from
/// this moment, its return visits are planned (PML 31), and the case takes effect.
pub(super) async fn take_effect(
    conn: &mut AnyConnection,
    case: CaseId,
    version: &AgreementVersionRecord,
    status: CaseStatus,
    actor: EventActor,
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query("UPDATE agreement_versions SET sealed_at = $1 WHERE case_id = $2 AND version = $3")
        .bind(now.millis())
        .bind(case.to_string())
        .bind(db_version(version.version))
        .execute(&mut *conn)
        .await?;
    let terms = version.parsed()?.content.terms;
    super::follow_up::schedule_visits(conn, case, version.version, &terms, now).await?;
    change_status(conn, case, status, CaseTransition::TakeEffect, actor, now)
        .await?
        .map_err(|e| StoreError::Corrupt(format!("agreement lifecycle: {e}")))?;
    Ok(())
}

pub(super) fn stored_version(raw: i64) -> StoreResult<u64> {
    u64::try_from(raw).map_err(|_| StoreError::Corrupt("negative agreement version".into()))
}

pub(super) fn db_version(version: u64) -> i64 {
    i64::try_from(version).unwrap_or(i64::MAX)
}

/// The latest version of a case's agreement, inside a transaction.
pub(super) async fn latest_version(
    conn: &mut AnyConnection,
    case: CaseId,
) -> StoreResult<Option<AgreementVersionRecord>> {
    let row = sqlx::query(&format!(
        "{SELECT_VERSION} WHERE case_id = $1 ORDER BY version DESC LIMIT 1"
    ))
    .bind(case.to_string())
    .fetch_optional(conn)
    .await?;
    row.as_ref().map(version_from_row).transpose()
}

pub(super) fn facts(record: &AgreementVersionRecord) -> LatestVersion {
    LatestVersion {
        version: record.version,
        finalised: record.finalised_at.is_some(),
        sealed: record.sealed_at.is_some(),
    }
}

/// The canonical text of `body` and its hash, as stored and signed.
fn canonical(body: &AgreementBody) -> StoreResult<(String, String)> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::Corrupt(format!("agreement body: {e}"));
    let bytes = canonical_bytes_of(body).map_err(|e| corrupt(&e))?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| corrupt(&e))?;
    let hash = agreement_hash(&value).map_err(|e| corrupt(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| corrupt(&e))?;
    Ok((text, hash))
}

impl Db {
    /// Saves a new version of the draft; `body.version` is set here. Returns the version.
    pub async fn save_agreement_draft(
        &self,
        case: CaseId,
        mut body: AgreementBody,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<u64, AgreementRefused>> {
        let mut tx = self.pool().begin().await?;
        let status = lock_for_write(&mut tx, case, now).await?;
        let latest = latest_version(&mut tx, case).await?;
        let plan = match plan_draft(status, latest.as_ref().map(facts)) {
            Ok(plan) => plan,
            Err(refused) => return Ok(Err(refused)),
        };
        body.version = plan.version;
        let (text, hash) = canonical(&body)?;
        if let Some(voided) = plan.voids {
            sqlx::query(
                "UPDATE agreement_versions SET voided_at = $1 WHERE case_id = $2 AND version = $3",
            )
            .bind(now.millis())
            .bind(case.to_string())
            .bind(db_version(voided))
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO agreement_versions (case_id, version, form, body, body_sha256, \
             created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(case.to_string())
        .bind(db_version(plan.version))
        .bind(body.form.as_str())
        .bind(&text)
        .bind(&hash)
        .bind(actor.to_string())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let drafted = CaseEvent::AgreementDrafted {
            version: plan.version,
            form: body.form,
            agreement_hash: hash,
            voided: plan.voids,
        };
        events::append(&mut tx, case, actor, &drafted, now).await?;
        if let Some(transition) = plan.transition {
            change_status(&mut tx, case, status, transition, actor, now)
                .await?
                .map_err(|e| StoreError::Corrupt(format!("agreement lifecycle: {e}")))?;
        }
        tx.commit().await?;
        Ok(Ok(plan.version))
    }

    /// Freezes `version` for signing; the case becomes agreed. An oral agreement takes effect
    /// at once instead (PML 30).
    pub async fn finalise_agreement(
        &self,
        case: CaseId,
        version: u64,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<(), AgreementRefused>> {
        let mut tx = self.pool().begin().await?;
        let status = lock_for_write(&mut tx, case, now).await?;
        let latest = latest_version(&mut tx, case).await?;
        let transition = match plan_finalise(status, latest.as_ref().map(facts), version) {
            Ok(transition) => transition,
            Err(refused) => return Ok(Err(refused)),
        };
        let Some(latest) = latest else {
            return Ok(Err(AgreementRefused::NoSuchVersion));
        };
        sqlx::query(
            "UPDATE agreement_versions SET finalised_at = $1 WHERE case_id = $2 AND version = $3",
        )
        .bind(now.millis())
        .bind(case.to_string())
        .bind(db_version(version))
        .execute(&mut *tx)
        .await?;
        let finalised = CaseEvent::AgreementFinalised {
            version,
            agreement_hash: latest.agreement_hash.clone(),
        };
        events::append(&mut tx, case, actor, &finalised, now).await?;
        let agreed = change_status(&mut tx, case, status, transition, actor, now)
            .await?
            .map_err(|e| StoreError::Corrupt(format!("agreement lifecycle: {e}")))?;
        if takes_effect_when_recorded(latest.form) {
            let effective = CaseEvent::OralAgreementEffective {
                version,
                agreement_hash: latest.agreement_hash.clone(),
            };
            events::append(&mut tx, case, actor, &effective, now).await?;
            take_effect(&mut tx, case, &latest, agreed, actor, now).await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// Every version of a case's agreement, oldest first.
    pub async fn agreement_versions(
        &self,
        case: CaseId,
    ) -> StoreResult<Vec<AgreementVersionRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT_VERSION} WHERE case_id = $1 ORDER BY version"
        ))
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(version_from_row).collect()
    }

    /// Adds a comment to an existing version; `NotFound` when there is no such version.
    pub async fn comment_on_agreement(
        &self,
        case: CaseId,
        version: u64,
        author: (&str, &str),
        text: &str,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<()> {
        let (author, author_name) = author;
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM agreement_versions WHERE case_id = $1 AND version = $2",
        )
        .bind(case.to_string())
        .bind(db_version(version))
        .fetch_one(&mut *tx)
        .await?;
        if exists == 0 {
            return Err(StoreError::NotFound);
        }
        let text_sha256 = text_sha256(text);
        sqlx::query(
            "INSERT INTO agreement_comments (id, case_id, version, author, author_name, text, \
             text_sha256, posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(new_uuid().to_string())
        .bind(case.to_string())
        .bind(db_version(version))
        .bind(author)
        .bind(author_name)
        .bind(text)
        .bind(&text_sha256)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let commented = CaseEvent::AgreementCommented {
            version,
            author: author.to_owned(),
            text_sha256,
        };
        events::append(&mut tx, case, actor, &commented, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every comment on a case's agreement, oldest first.
    pub async fn agreement_comments(&self, case: CaseId) -> StoreResult<Vec<CommentRecord>> {
        let rows = sqlx::query(
            "SELECT version, author, author_name, text, posted_at FROM agreement_comments \
             WHERE case_id = $1 ORDER BY posted_at, id",
        )
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(CommentRecord {
                    version: stored_version(row.try_get("version")?)?,
                    author: row.try_get("author")?,
                    author_name: row.try_get("author_name")?,
                    text: row.try_get("text")?,
                    posted_at: Timestamp::from_millis(row.try_get("posted_at")?),
                })
            })
            .collect()
    }
}
