//! Supervisors' accounts, and what they may read of a committee: each case's number, kind and
//! progress, without a word of its content.

use super::{label, new_uuid, stored_id, unique_violation_as, Db, StoreError, StoreResult};
use crate::domain::case::{CaseNumber, CaseStatus};
use crate::domain::ids::{CaseId, CommitteeId, SupervisorId};
use crate::domain::supervision::{progress, CaseOverview, NewSupervisor};
use crate::domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::Row as _;
use time::Date;

/// A supervisor's account as the operator and the supervision page show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Supervisor {
    pub id: SupervisorId,
    pub username: String,
    pub display_name: String,
    pub region: String,
    pub disabled: bool,
}

const SELECT_SUPERVISOR: &str =
    "SELECT id, username, display_name, region, disabled_at FROM supervisors";

fn from_row(row: &AnyRow) -> StoreResult<Supervisor> {
    Ok(Supervisor {
        id: stored_id(&row.try_get::<String, _>("id")?, SupervisorId::parse)?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        region: row.try_get("region")?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}

impl Db {
    pub async fn create_supervisor(
        &self,
        supervisor: &NewSupervisor,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<SupervisorId> {
        let id = SupervisorId::from_uuid(new_uuid());
        sqlx::query(
            "INSERT INTO supervisors (id, username, display_name, region, password_hash, \
             created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(id.to_string())
        .bind(supervisor.username.as_str())
        .bind(&supervisor.display_name)
        .bind(&supervisor.region)
        .bind(password_hash)
        .bind(now.millis())
        .execute(self.pool())
        .await
        .map_err(unique_violation_as("username"))?;
        Ok(id)
    }

    pub async fn supervisor(&self, id: SupervisorId) -> StoreResult<Supervisor> {
        let row = sqlx::query(&format!("{SELECT_SUPERVISOR} WHERE id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    pub async fn supervisor_by_username(&self, username: &str) -> StoreResult<Supervisor> {
        let row = sqlx::query(&format!("{SELECT_SUPERVISOR} WHERE username = $1"))
            .bind(username)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    pub async fn supervisors(&self) -> StoreResult<Vec<Supervisor>> {
        let rows = sqlx::query(&format!("{SELECT_SUPERVISOR} ORDER BY region, username"))
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Where each case of `committee` stands on `today`, newest first.
    pub async fn case_overviews(
        &self,
        committee: CommitteeId,
        today: Date,
    ) -> StoreResult<Vec<CaseOverview>> {
        let mut facts = self.statistics_facts(committee).await?;
        let rows = sqlx::query(
            "SELECT id, year, seq, status, created_at FROM cases WHERE committee_id = $1 \
             ORDER BY year DESC, seq DESC",
        )
        .bind(committee.to_string())
        .fetch_all(self.pool())
        .await?;
        let mut overviews = Vec::with_capacity(rows.len());
        for row in &rows {
            let id = stored_id(&row.try_get::<String, _>("id")?, CaseId::parse)?;
            let Some(case) = facts.remove(&id) else {
                continue;
            };
            let status = label(&row.try_get::<String, _>("status")?, CaseStatus::parse)?;
            let year = i32::try_from(row.try_get::<i64, _>("year")?)
                .map_err(|_| StoreError::Corrupt("case year".into()))?;
            overviews.push(CaseOverview {
                number: CaseNumber {
                    year,
                    seq: row.try_get("seq")?,
                }
                .to_string(),
                dispute_type: case.dispute_type,
                source: case.source,
                status,
                registered_on: Timestamp::from_millis(row.try_get("created_at")?).date_in_china(),
                accepted_on: case.accepted_on,
                progress: progress(status, &case, today),
                judicially_confirmed: case.judicially_confirmed,
            });
        }
        Ok(overviews)
    }
}
