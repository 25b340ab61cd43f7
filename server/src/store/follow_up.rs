//! Return visits (回访): planned in the transaction in which an agreement takes effect, and
//! recorded one by one afterwards.

use super::agreements::db_version;
use super::{events, label, new_uuid, stored_id, Db, StoreError, StoreResult};
use crate::domain::agreement::Term;
use crate::domain::events::{CaseEvent, EventActor, ScheduledVisit};
use crate::domain::follow_up::{plan_visits, Performance, Satisfaction};
use crate::domain::ids::{CaseId, CommitteeId, UserId};
use crate::domain::Timestamp;
use crate::record::commitment::text_sha256;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRecord {
    pub id: Uuid,
    pub case_id: CaseId,
    pub agreement_version: u64,
    pub term: usize,
    /// `YYYY-MM-DD`, a China calendar day.
    pub due_on: String,
    pub visited_at: Option<Timestamp>,
    pub performance: Option<Performance>,
    pub satisfaction: Option<Satisfaction>,
    pub note: Option<String>,
}

/// What was found on a visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitFindings {
    pub performance: Performance,
    pub satisfaction: Satisfaction,
    pub note: Option<String>,
}

const SELECT_VISIT: &str = "SELECT id, case_id, agreement_version, term, due_on, visited_at, \
     performance, satisfaction, note FROM follow_up_visits";

fn from_row(row: &AnyRow) -> StoreResult<VisitRecord> {
    let optional = |column: &str| row.try_get::<Option<String>, _>(column);
    Ok(VisitRecord {
        id: stored_id(&row.try_get::<String, _>("id")?, |s| {
            Uuid::parse_str(s).ok()
        })?,
        case_id: stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?,
        agreement_version: super::agreements::stored_version(row.try_get("agreement_version")?)?,
        term: usize::try_from(row.try_get::<i64, _>("term")?)
            .map_err(|_| StoreError::Corrupt("negative term".into()))?,
        due_on: row.try_get("due_on")?,
        visited_at: row
            .try_get::<Option<i64>, _>("visited_at")?
            .map(Timestamp::from_millis),
        performance: optional("performance")?
            .map(|s| label(&s, Performance::parse))
            .transpose()?,
        satisfaction: optional("satisfaction")?
            .map(|s| label(&s, Satisfaction::parse))
            .transpose()?,
        note: optional("note")?,
    })
}

/// Plans the visits of an agreement version that takes effect now, inside its transaction.
pub(super) async fn schedule_visits(
    conn: &mut AnyConnection,
    case: CaseId,
    version: u64,
    terms: &[Term],
    now: Timestamp,
) -> StoreResult<()> {
    let mut scheduled = Vec::new();
    for planned in plan_visits(terms, now.date_in_china()) {
        let id = new_uuid();
        let due_on = planned.due_on.to_string();
        sqlx::query(
            "INSERT INTO follow_up_visits (id, case_id, agreement_version, term, due_on) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(case.to_string())
        .bind(db_version(version))
        .bind(i64::try_from(planned.term).unwrap_or(i64::MAX))
        .bind(&due_on)
        .execute(&mut *conn)
        .await?;
        scheduled.push(ScheduledVisit {
            visit: id,
            term: planned.term,
            due_on,
        });
    }
    if scheduled.is_empty() {
        return Ok(());
    }
    let event = CaseEvent::FollowUpScheduled {
        version,
        visits: scheduled,
    };
    events::append(conn, case, EventActor::System, &event, now).await?;
    Ok(())
}

impl Db {
    /// The visits of a case, by term.
    pub async fn follow_up_visits(&self, case: CaseId) -> StoreResult<Vec<VisitRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT_VISIT} WHERE case_id = $1 ORDER BY agreement_version, term"
        ))
        .bind(case.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Visits not yet made and due by `due_by` (`YYYY-MM-DD`) in a committee's cases, or only
    /// in those assigned to `mediator`; soonest first.
    pub async fn visits_due(
        &self,
        committee: CommitteeId,
        mediator: Option<UserId>,
        due_by: &str,
    ) -> StoreResult<Vec<VisitRecord>> {
        let rows = sqlx::query(&format!(
            "{SELECT_VISIT} WHERE visited_at IS NULL AND due_on <= $1 AND case_id IN \
             (SELECT id FROM cases WHERE committee_id = $2) AND ($3 = '' OR case_id IN \
             (SELECT case_id FROM case_mediators WHERE user_id = $3)) ORDER BY due_on, id"
        ))
        .bind(due_by)
        .bind(committee.to_string())
        .bind(mediator.map(|m| m.to_string()).unwrap_or_default())
        .fetch_all(self.pool())
        .await?;
        rows.iter().map(from_row).collect()
    }

    /// Records what a visit found; `NotFound` for no such visit. `Ok(false)` when it was
    /// already recorded: a visit is one event, and what it found stays as found.
    pub async fn record_visit(
        &self,
        case: CaseId,
        visit: Uuid,
        findings: &VisitFindings,
        actor: EventActor,
        now: Timestamp,
    ) -> StoreResult<bool> {
        let mut tx = self.pool().begin().await?;
        super::cases::lock_for_write(&mut tx, case, now).await?;
        let row = sqlx::query(&format!("{SELECT_VISIT} WHERE id = $1 AND case_id = $2"))
            .bind(visit.to_string())
            .bind(case.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let record = from_row(&row)?;
        if record.visited_at.is_some() {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE follow_up_visits SET visited_at = $1, performance = $2, satisfaction = $3, \
             note = $4, recorded_by = $5 WHERE id = $6",
        )
        .bind(now.millis())
        .bind(findings.performance.as_str())
        .bind(findings.satisfaction.as_str())
        .bind(findings.note.as_deref())
        .bind(actor.to_string())
        .bind(visit.to_string())
        .execute(&mut *tx)
        .await?;
        let event = CaseEvent::FollowUpRecorded {
            visit,
            term: record.term,
            performance: findings.performance,
            satisfaction: findings.satisfaction,
            note_sha256: findings.note.as_deref().map(text_sha256),
        };
        events::append(&mut tx, case, actor, &event, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
