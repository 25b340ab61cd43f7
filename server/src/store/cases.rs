//! Cases: registration and numbering, details, status, and the mediators assigned.

use super::{events, label, new_uuid, stored_id, unique_violation_as, Db, StoreError, StoreResult};
use crate::domain::case::{
    CaseDetails, CaseFacts, CaseNumber, CaseSource, CaseStatus, CaseTransition, DisputeType,
    Prevented, TransitionError,
};
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::{CaseId, CommitteeId, UserId};
use crate::domain::Timestamp;
use crate::record::chain::GENESIS;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRecord {
    pub id: CaseId,
    pub committee_id: CommitteeId,
    pub number: CaseNumber,
    pub dispute_type: DisputeType,
    pub source: CaseSource,
    pub summary: String,
    pub amount_fen: Option<i64>,
    pub status: CaseStatus,
    /// Counted as difficult or complex (疑难复杂) in the statistics.
    pub difficult: bool,
    /// Escalations its mediation is counted as having prevented, in the statistics.
    pub prevented: Prevented,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    pub mediators: Vec<UserId>,
}

/// Which cases a list shows. `assigned_to` narrows to one mediator's cases; the other fields are
/// the filters a person chose.
#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub assigned_to: Option<UserId>,
    pub status: Option<CaseStatus>,
    pub dispute_type: Option<DisputeType>,
    pub mediator: Option<UserId>,
}

const SELECT_CASE: &str = "SELECT id, committee_id, year, seq, dispute_type, source, summary, \
     amount_fen, status, difficult, prevented_criminal, prevented_mass_petition, created_at, \
     updated_at FROM cases";

/// The prevented escalations stored in a row of `cases`.
pub(super) fn prevented_of(row: &AnyRow) -> StoreResult<Prevented> {
    Ok(Prevented {
        criminal: row.try_get::<i64, _>("prevented_criminal")? != 0,
        mass_petition: row.try_get::<i64, _>("prevented_mass_petition")? != 0,
    })
}

fn from_row(row: &AnyRow, mediators: Vec<UserId>) -> StoreResult<CaseRecord> {
    Ok(CaseRecord {
        id: stored_id(&row.try_get::<String, _>("id")?, CaseId::parse)?,
        committee_id: stored_id(
            &row.try_get::<String, _>("committee_id")?,
            CommitteeId::parse,
        )?,
        number: CaseNumber {
            year: i32::try_from(row.try_get::<i64, _>("year")?)
                .map_err(|e| StoreError::Corrupt(format!("case year: {e}")))?,
            seq: row.try_get("seq")?,
        },
        dispute_type: label(
            &row.try_get::<String, _>("dispute_type")?,
            DisputeType::parse,
        )?,
        source: label(&row.try_get::<String, _>("source")?, CaseSource::parse)?,
        summary: row.try_get("summary")?,
        amount_fen: row.try_get("amount_fen")?,
        status: label(&row.try_get::<String, _>("status")?, CaseStatus::parse)?,
        difficult: row.try_get::<i64, _>("difficult")? != 0,
        prevented: prevented_of(row)?,
        created_at: Timestamp::from_millis(row.try_get("created_at")?),
        updated_at: Timestamp::from_millis(row.try_get("updated_at")?),
        mediators,
    })
}

async fn mediators_of(conn: &mut AnyConnection, case: CaseId) -> StoreResult<Vec<UserId>> {
    let ids: Vec<String> = sqlx::query_scalar(
        "SELECT user_id FROM case_mediators WHERE case_id = $1 ORDER BY assigned_at, user_id",
    )
    .bind(case.to_string())
    .fetch_all(conn)
    .await?;
    ids.iter().map(|id| stored_id(id, UserId::parse)).collect()
}

/// Moves a case `from` its current status by `transition`, recording it, inside a transaction
/// that holds the case's write lock ([`lock_for_write`]).
pub(super) async fn change_status(
    conn: &mut AnyConnection,
    id: CaseId,
    from: CaseStatus,
    transition: CaseTransition,
    actor: EventActor,
    now: Timestamp,
) -> StoreResult<Result<CaseStatus, TransitionError>> {
    let facts = CaseFacts {
        mediators_assigned: mediators_of(&mut *conn, id).await?.len(),
    };
    let to = match from.apply(transition, facts) {
        Ok(to) => to,
        Err(refused) => return Ok(Err(refused)),
    };
    let changed = CaseEvent::StatusChanged {
        transition,
        from,
        to,
    };
    events::append(&mut *conn, id, actor, &changed, now).await?;
    sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
        .bind(to.as_str())
        .bind(id.to_string())
        .execute(&mut *conn)
        .await?;
    Ok(Ok(to))
}

/// Takes the case's write lock (its first statement writes) and returns its current status. An
/// archived case refuses: its dossier is closed.
pub(super) async fn lock_for_write(
    conn: &mut AnyConnection,
    case: CaseId,
    now: Timestamp,
) -> StoreResult<CaseStatus> {
    let status: Option<String> =
        sqlx::query_scalar("UPDATE cases SET updated_at = $1 WHERE id = $2 RETURNING status")
            .bind(now.millis())
            .bind(case.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let status = label(&status.ok_or(StoreError::NotFound)?, CaseStatus::parse)?;
    if status.is_frozen() {
        return Err(StoreError::Frozen);
    }
    Ok(status)
}

/// Within a transaction: takes the case's write lock and moves it through its lifecycle, or
/// says why the domain refused (and writes nothing). The caller commits.
pub(super) async fn transition_in(
    conn: &mut AnyConnection,
    id: CaseId,
    transition: CaseTransition,
    actor: EventActor,
    now: Timestamp,
) -> StoreResult<Result<CaseStatus, TransitionError>> {
    let from = lock_for_write(conn, id, now).await?;
    change_status(conn, id, from, transition, actor, now).await
}

async fn replace_mediators(
    conn: &mut AnyConnection,
    case: CaseId,
    mediators: &[UserId],
    now: Timestamp,
) -> StoreResult<()> {
    sqlx::query("DELETE FROM case_mediators WHERE case_id = $1")
        .bind(case.to_string())
        .execute(&mut *conn)
        .await?;
    for user in mediators {
        sqlx::query(
            "INSERT INTO case_mediators (case_id, user_id, assigned_at) VALUES ($1, $2, $3)",
        )
        .bind(case.to_string())
        .bind(user.to_string())
        .bind(now.millis())
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

impl Db {
    /// Registers a case under the next number of its committee and year, or under `seq` when the
    /// committee carries a number over from its paper register. The registering mediator (if any)
    /// is assigned to it, so that they can go on working it.
    pub async fn register_case(
        &self,
        committee: CommitteeId,
        registered_by: UserId,
        assign_registrar: bool,
        details: &CaseDetails,
        seq: Option<i64>,
        now: Timestamp,
    ) -> StoreResult<CaseId> {
        let year = i64::from(now.year_in_china());
        let mut tx = self.pool().begin().await?;
        let seq =
            match seq {
                Some(seq) => {
                    // Keeps the counter ahead of every number used, so later automatic numbers never
                    // collide with one carried over.
                    sqlx::query(
                    "INSERT INTO case_counters (committee_id, year, last_seq) VALUES ($1, $2, $3) \
                     ON CONFLICT (committee_id, year) DO UPDATE SET last_seq = \
                     CASE WHEN excluded.last_seq > case_counters.last_seq \
                     THEN excluded.last_seq ELSE case_counters.last_seq END",
                )
                .bind(committee.to_string())
                .bind(year)
                .bind(seq)
                .execute(&mut *tx)
                .await?;
                    seq
                }
                None => sqlx::query_scalar(
                    "INSERT INTO case_counters (committee_id, year, last_seq) VALUES ($1, $2, 1) \
                     ON CONFLICT (committee_id, year) DO UPDATE SET \
                     last_seq = case_counters.last_seq + 1 RETURNING last_seq",
                )
                .bind(committee.to_string())
                .bind(year)
                .fetch_one(&mut *tx)
                .await?,
            };
        let id = CaseId::from_uuid(new_uuid());
        sqlx::query(
            "INSERT INTO cases (id, committee_id, year, seq, dispute_type, source, summary, \
             amount_fen, status, created_by, created_at, updated_at, event_seq, event_head) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, 0, $12)",
        )
        .bind(id.to_string())
        .bind(committee.to_string())
        .bind(year)
        .bind(seq)
        .bind(details.dispute_type.as_str())
        .bind(details.source.as_str())
        .bind(&details.summary)
        .bind(details.amount.map(|a| a.fen()))
        .bind(CaseStatus::Registered.as_str())
        .bind(registered_by.to_string())
        .bind(now.millis())
        .bind(GENESIS.to_hex())
        .execute(&mut *tx)
        .await
        .map_err(unique_violation_as("number_seq"))?;
        let actor = EventActor::Staff(registered_by);
        let number = CaseNumber {
            year: now.year_in_china(),
            seq,
        };
        let registered = CaseEvent::CaseRegistered {
            number: number.to_string(),
            dispute_type: details.dispute_type,
            source: details.source,
            summary: details.summary.clone(),
            amount_fen: details.amount.map(|a| a.fen()),
        };
        events::append(&mut tx, id, actor, &registered, now).await?;
        if assign_registrar {
            replace_mediators(&mut tx, id, &[registered_by], now).await?;
            let assigned = CaseEvent::MediatorsAssigned {
                mediators: vec![registered_by],
            };
            events::append(&mut tx, id, actor, &assigned, now).await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn case(&self, id: CaseId) -> StoreResult<CaseRecord> {
        let mut conn = self.pool().acquire().await?;
        let row = sqlx::query(&format!("{SELECT_CASE} WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(StoreError::NotFound)?;
        let mediators = mediators_of(&mut conn, id).await?;
        from_row(&row, mediators)
    }

    /// The cases of a committee that pass `filter`, newest first.
    pub async fn cases(
        &self,
        committee: CommitteeId,
        filter: &CaseFilter,
    ) -> StoreResult<Vec<CaseRecord>> {
        // Every filter is bound, absent ones as NULL, so that one statement serves all of them.
        let sql = format!(
            "{SELECT_CASE} WHERE committee_id = $1 \
             AND ($2 IS NULL OR id IN (SELECT case_id FROM case_mediators WHERE user_id = $2)) \
             AND ($3 IS NULL OR status = $3) \
             AND ($4 IS NULL OR dispute_type = $4) \
             AND ($5 IS NULL OR id IN (SELECT case_id FROM case_mediators WHERE user_id = $5)) \
             ORDER BY created_at DESC, seq DESC"
        );
        let mut conn = self.pool().acquire().await?;
        let rows = sqlx::query(&sql)
            .bind(committee.to_string())
            .bind(filter.assigned_to.map(|u| u.to_string()))
            .bind(filter.status.map(|s| s.as_str()))
            .bind(filter.dispute_type.map(|d| d.as_str()))
            .bind(filter.mediator.map(|u| u.to_string()))
            .fetch_all(&mut *conn)
            .await?;
        let mut cases = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = stored_id(&row.try_get::<String, _>("id")?, CaseId::parse)?;
            let mediators = mediators_of(&mut conn, id).await?;
            cases.push(from_row(row, mediators)?);
        }
        Ok(cases)
    }

    pub async fn edit_case_details(
        &self,
        id: CaseId,
        details: &CaseDetails,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, id, now).await?;
        let edited = CaseEvent::DetailsEdited {
            dispute_type: details.dispute_type,
            source: details.source,
            summary: details.summary.clone(),
            amount_fen: details.amount.map(|a| a.fen()),
        };
        events::append(&mut tx, id, actor, &edited, now).await?;
        sqlx::query(
            "UPDATE cases SET dispute_type = $1, source = $2, summary = $3, amount_fen = $4 \
             WHERE id = $5",
        )
        .bind(details.dispute_type.as_str())
        .bind(details.source.as_str())
        .bind(&details.summary)
        .bind(details.amount.map(|a| a.fen()))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks the case as difficult or complex (疑难复杂), or not; only a change is recorded.
    pub async fn mark_difficult(
        &self,
        id: CaseId,
        difficult: bool,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, id, now).await?;
        let updated =
            sqlx::query("UPDATE cases SET difficult = $1 WHERE id = $2 AND difficult <> $1")
                .bind(i64::from(difficult))
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?;
        if updated.rows_affected() > 0 {
            let marked = CaseEvent::DifficultyMarked { difficult };
            events::append(&mut tx, id, actor, &marked, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Records which escalations the committee counts the case as having prevented.
    pub async fn mark_prevented(
        &self,
        id: CaseId,
        prevented: Prevented,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, id, now).await?;
        let updated = sqlx::query(
            "UPDATE cases SET prevented_criminal = $1, prevented_mass_petition = $2 \
             WHERE id = $3 AND (prevented_criminal <> $1 OR prevented_mass_petition <> $2)",
        )
        .bind(i64::from(prevented.criminal))
        .bind(i64::from(prevented.mass_petition))
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() > 0 {
            let marked = CaseEvent::EscalationPreventedMarked {
                criminal: prevented.criminal,
                mass_petition: prevented.mass_petition,
            };
            events::append(&mut tx, id, actor, &marked, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves the case through its lifecycle; the inner error says why the domain refused.
    pub async fn transition_case(
        &self,
        id: CaseId,
        transition: CaseTransition,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<CaseStatus, TransitionError>> {
        let mut tx = self.pool().begin().await?;
        let outcome = transition_in(&mut tx, id, transition, actor, now).await?;
        if outcome.is_ok() {
            tx.commit().await?;
        }
        Ok(outcome)
    }

    /// Replaces the mediators of a case. Each must be an enabled staff member of the case's
    /// committee; the error names the first who is not.
    pub async fn assign_mediators(
        &self,
        id: CaseId,
        mediators: &[UserId],
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<Result<(), UserId>> {
        let mut tx = self.pool().begin().await?;
        lock_for_write(&mut tx, id, now).await?;
        for user in mediators {
            let eligible: i64 = sqlx::query_scalar(
                "SELECT COUNT(*) FROM users u JOIN cases c ON c.committee_id = u.committee_id \
                 WHERE c.id = $1 AND u.id = $2 AND u.disabled_at IS NULL",
            )
            .bind(id.to_string())
            .bind(user.to_string())
            .fetch_one(&mut *tx)
            .await?;
            if eligible == 0 {
                return Ok(Err(*user));
            }
        }
        let assigned = CaseEvent::MediatorsAssigned {
            mediators: mediators.to_vec(),
        };
        events::append(&mut tx, id, actor, &assigned, now).await?;
        replace_mediators(&mut tx, id, mediators, now).await?;
        tx.commit().await?;
        Ok(Ok(()))
    }
}
