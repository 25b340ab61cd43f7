//! Judicial confirmation: the application, its filing with the bundle and the outbox row in one
//! transaction, and its delivery. Delivery itself is `court/`'s (the outbox worker); the court's
//! answers are [`super::court_answers`]'.

use super::cases::lock_for_write;
use super::{events, label, new_uuid, Db, StoreError, StoreResult};
use crate::domain::confirmation::ApplicationStatus;
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::CaseId;
use crate::domain::Timestamp;
use crate::record::signature::{decode_base64url, encode_base64url};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationRecord {
    pub id: Uuid,
    pub case_id: CaseId,
    pub court_id: String,
    pub court_name: String,
    pub agreement_version: u64,
    pub agreement_hash: String,
    pub personal_status: bool,
    pub ownership: bool,
    pub status: ApplicationStatus,
    pub prepared_at: Timestamp,
    pub filed_at: Option<Timestamp>,
    pub bundle_sha256: Option<String>,
    pub court_case_number: Option<String>,
    pub court_reason: Option<String>,
    pub answered_at: Option<Timestamp>,
    /// Delivery: attempts so far, the last failure, and when the court took it.
    pub attempts: u64,
    pub last_error: Option<String>,
    pub delivered_at: Option<Timestamp>,
}

/// What the mediator prepares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewApplication {
    pub court_id: String,
    pub court_name: String,
    pub agreement_version: u64,
    pub agreement_hash: String,
    pub personal_status: bool,
    pub ownership: bool,
}

/// A filed bundle waiting for its court.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingDelivery {
    pub application_id: Uuid,
    pub case_id: CaseId,
    pub court_id: String,
    pub bundle: Vec<u8>,
    pub bundle_sha256: String,
    pub attempts: u64,
}

/// A bundle built for filing, from the chain's first `chain_length` events.
#[derive(Debug, Clone, Copy)]
pub struct Filing<'a> {
    pub application: Uuid,
    pub bundle: &'a [u8],
    pub bundle_sha256: &'a str,
    pub chain_length: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum FilingRefused {
    #[error("an application has already been filed for this case")]
    AlreadyFiled,
    #[error("the record changed while the bundle was built; try again")]
    RecordMoved,
}

pub(super) const SELECT: &str =
    "SELECT a.id, a.case_id, a.court_id, a.court_name, a.agreement_version, \
     a.agreement_hash, a.personal_status, a.ownership, a.status, a.prepared_at, a.filed_at, \
     a.bundle_sha256, a.court_case_number, a.court_reason, a.answered_at, \
     COALESCE(d.attempts, 0) AS attempts, d.last_error, d.delivered_at \
     FROM judicial_applications a LEFT JOIN court_deliveries d ON d.application_id = a.id";

pub(super) fn from_row(row: &AnyRow) -> StoreResult<ApplicationRecord> {
    let at = |c: &str| -> StoreResult<Option<Timestamp>> {
        Ok(row
            .try_get::<Option<i64>, _>(c)?
            .map(Timestamp::from_millis))
    };
    let count = |c: &str| -> StoreResult<u64> {
        u64::try_from(row.try_get::<i64, _>(c)?).map_err(|_| StoreError::Corrupt(c.to_owned()))
    };
    Ok(ApplicationRecord {
        id: super::stored_id(&row.try_get::<String, _>("id")?, |s| s.parse().ok())?,
        case_id: super::stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?,
        court_id: row.try_get("court_id")?,
        court_name: row.try_get("court_name")?,
        agreement_version: count("agreement_version")?,
        agreement_hash: row.try_get("agreement_hash")?,
        personal_status: row.try_get::<i64, _>("personal_status")? != 0,
        ownership: row.try_get::<i64, _>("ownership")? != 0,
        status: label(
            &row.try_get::<String, _>("status")?,
            ApplicationStatus::parse,
        )?,
        prepared_at: Timestamp::from_millis(row.try_get("prepared_at")?),
        filed_at: at("filed_at")?,
        bundle_sha256: row.try_get("bundle_sha256")?,
        court_case_number: row.try_get("court_case_number")?,
        court_reason: row.try_get("court_reason")?,
        answered_at: at("answered_at")?,
        attempts: count("attempts")?,
        last_error: row.try_get("last_error")?,
        delivered_at: at("delivered_at")?,
    })
}

impl Db {
    /// When the case's agreement took effect (its seal went on), if it has.
    pub async fn effective_at(&self, case: CaseId) -> StoreResult<Option<Timestamp>> {
        let at: Option<i64> = sqlx::query_scalar(
            "SELECT sealed_at FROM agreement_versions WHERE case_id = $1 \
             AND sealed_at IS NOT NULL ORDER BY version DESC LIMIT 1",
        )
        .bind(case.to_string())
        .fetch_optional(self.pool())
        .await?;
        Ok(at.map(Timestamp::from_millis))
    }

    /// The case's current application, if any (a replaced one is history, in the chain).
    pub async fn application(&self, case: CaseId) -> StoreResult<Option<ApplicationRecord>> {
        let row = sqlx::query(&format!(
            "{SELECT} WHERE a.case_id = $1 AND a.replaced_at IS NULL"
        ))
        .bind(case.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Prepares an application, replacing a prepared one (its consents then no longer match
    /// the text, which names the court). Refused once one is filed.
    pub async fn prepare_application(
        &self,
        case: CaseId,
        new: &NewApplication,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<Uuid, FilingRefused>> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let filed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM judicial_applications WHERE case_id = $1 \
             AND replaced_at IS NULL AND status <> $2",
        )
        .bind(case.to_string())
        .bind(ApplicationStatus::Prepared.as_str())
        .fetch_one(&mut *tx)
        .await?;
        if filed > 0 {
            return Ok(Err(FilingRefused::AlreadyFiled));
        }
        sqlx::query(
            "UPDATE judicial_applications SET replaced_at = $1 WHERE case_id = $2 \
             AND replaced_at IS NULL",
        )
        .bind(now.millis())
        .bind(case.to_string())
        .execute(&mut *tx)
        .await?;
        let id = new_uuid();
        sqlx::query(
            "INSERT INTO judicial_applications (id, case_id, court_id, court_name, \
             agreement_version, agreement_hash, personal_status, ownership, status, prepared_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id.to_string())
        .bind(case.to_string())
        .bind(&new.court_id)
        .bind(&new.court_name)
        .bind(i64::try_from(new.agreement_version).unwrap_or(i64::MAX))
        .bind(&new.agreement_hash)
        .bind(i64::from(new.personal_status))
        .bind(i64::from(new.ownership))
        .bind(ApplicationStatus::Prepared.as_str())
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let event = CaseEvent::JudicialConfirmationPrepared {
            application: id,
            court_id: new.court_id.clone(),
            court_name: new.court_name.clone(),
            agreement_version: new.agreement_version,
            agreement_hash: new.agreement_hash.clone(),
            personal_status: new.personal_status,
            ownership: new.ownership,
        };
        events::append(&mut tx, case, actor, &event, now).await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Files the application with its bundle, and puts the bundle in the outbox, in one
    /// transaction: a filed application is always delivered, and only this bundle is. The
    /// bundle was built from the chain up to `chain_length` events; if anything was appended
    /// since, it no longer shows the whole record and the caller builds it again.
    pub async fn file_application(
        &self,
        case: CaseId,
        filing: &Filing<'_>,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<(), FilingRefused>> {
        let Filing {
            application,
            bundle,
            bundle_sha256,
            chain_length,
        } = *filing;
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, case, now).await?;
        let seq: i64 = sqlx::query_scalar("SELECT event_seq FROM cases WHERE id = $1")
            .bind(case.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if u64::try_from(seq).ok() != Some(chain_length) {
            return Ok(Err(FilingRefused::RecordMoved));
        }
        let row = sqlx::query(&format!(
            "{SELECT} WHERE a.id = $1 AND a.replaced_at IS NULL"
        ))
        .bind(application.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let current = row
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        if current.status != ApplicationStatus::Prepared {
            return Ok(Err(FilingRefused::AlreadyFiled));
        }
        sqlx::query(
            "UPDATE judicial_applications SET status = $1, filed_at = $2, bundle = $3, \
             bundle_sha256 = $4 WHERE id = $5",
        )
        .bind(ApplicationStatus::Filed.as_str())
        .bind(now.millis())
        .bind(encode_base64url(bundle))
        .bind(bundle_sha256)
        .bind(application.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO court_deliveries (application_id, case_id, court_id, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(application.to_string())
        .bind(case.to_string())
        .bind(&current.court_id)
        .bind(now.millis())
        .execute(&mut *tx)
        .await?;
        let event = CaseEvent::JudicialConfirmationFiled {
            application,
            court_id: current.court_id,
            bundle_sha256: bundle_sha256.to_owned(),
        };
        events::append(&mut tx, case, actor, &event, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }

    /// The bundle as filed, for download.
    pub async fn filed_bundle(&self, application: Uuid) -> StoreResult<Vec<u8>> {
        let text: Option<String> =
            sqlx::query_scalar("SELECT bundle FROM judicial_applications WHERE id = $1")
                .bind(application.to_string())
                .fetch_optional(self.pool())
                .await?
                .flatten();
        decode_base64url(&text.ok_or(StoreError::NotFound)?)
            .map_err(|e| StoreError::Corrupt(format!("bundle: {e}")))
    }

    /// Every bundle not yet taken by its court, oldest first.
    pub async fn pending_deliveries(&self) -> StoreResult<Vec<PendingDelivery>> {
        let rows = sqlx::query(
            "SELECT d.application_id, d.case_id, d.court_id, d.attempts, a.bundle, \
             a.bundle_sha256 FROM court_deliveries d JOIN judicial_applications a \
             ON a.id = d.application_id WHERE d.delivered_at IS NULL ORDER BY d.created_at",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                Ok(PendingDelivery {
                    application_id: super::stored_id(
                        &row.try_get::<String, _>("application_id")?,
                        |s| s.parse().ok(),
                    )?,
                    case_id: super::stored_id(
                        &row.try_get::<String, _>("case_id")?,
                        CaseId::parse,
                    )?,
                    court_id: row.try_get("court_id")?,
                    bundle: decode_base64url(&row.try_get::<String, _>("bundle")?)
                        .map_err(|e| StoreError::Corrupt(format!("bundle: {e}")))?,
                    bundle_sha256: row.try_get("bundle_sha256")?,
                    attempts: u64::try_from(row.try_get::<i64, _>("attempts")?).unwrap_or(0),
                })
            })
            .collect()
    }

    /// A failed attempt, for the console: the delivery stays pending.
    pub async fn delivery_failed(&self, application: Uuid, error: &str) -> StoreResult<()> {
        sqlx::query(
            "UPDATE court_deliveries SET attempts = attempts + 1, last_error = $1 \
             WHERE application_id = $2",
        )
        .bind(error)
        .bind(application.to_string())
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// The court took the bundle (or answered about it, which proves it did). Once only.
    pub async fn delivered(&self, application: Uuid, now: Timestamp) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        let row = sqlx::query(&format!("{SELECT} WHERE a.id = $1"))
            .bind(application.to_string())
            .fetch_optional(&mut *tx)
            .await?;
        let record = row
            .as_ref()
            .map(from_row)
            .transpose()?
            .ok_or(StoreError::NotFound)?;
        lock_for_write(&mut tx, record.case_id, now).await?;
        mark_delivered(&mut tx, &record, now).await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Within a transaction holding the case's write lock: marks `record`'s bundle delivered and
/// records the event, unless it already was.
pub(super) async fn mark_delivered(
    conn: &mut AnyConnection,
    record: &ApplicationRecord,
    now: Timestamp,
) -> StoreResult<()> {
    let updated = sqlx::query(
        "UPDATE court_deliveries SET delivered_at = $1, attempts = attempts + 1 \
         WHERE application_id = $2 AND delivered_at IS NULL",
    )
    .bind(now.millis())
    .bind(record.id.to_string())
    .execute(&mut *conn)
    .await?;
    if updated.rows_affected() == 1 {
        let event = CaseEvent::CourtBundleDelivered {
            application: record.id,
            bundle_sha256: record.bundle_sha256.clone().unwrap_or_default(),
            attempts: record.attempts + 1,
        };
        events::append(conn, record.case_id, EventActor::System, &event, now).await?;
    }
    Ok(())
}
