//! Screening rounds (矛盾纠纷排查), the committee's own record.

use super::{new_uuid, Db, StoreError, StoreResult};
use crate::domain::ids::{CommitteeId, UserId};
use crate::domain::parse_day;
use crate::domain::screening::NewScreening;
use crate::domain::Timestamp;
use sqlx::Row as _;
use time::Date;
use uuid::Uuid;

/// One recorded round, as the committee's staff list them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningRecord {
    pub id: Uuid,
    pub held_on: Date,
    pub disputes_found: u64,
    pub note: Option<String>,
    pub recorded_by: String,
}

impl Db {
    pub async fn record_screening(
        &self,
        committee: CommitteeId,
        screening: &NewScreening,
        by: UserId,
        now: Timestamp,
    ) -> StoreResult<Uuid> {
        let id = new_uuid();
        sqlx::query(
            "INSERT INTO screenings (id, committee_id, held_on, disputes_found, note, \
             recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id.to_string())
        .bind(committee.to_string())
        .bind(screening.held_on.to_string())
        .bind(i64::try_from(screening.disputes_found).unwrap_or(i64::MAX))
        .bind(screening.note.as_deref())
        .bind(by.to_string())
        .bind(now.millis())
        .execute(self.pool())
        .await?;
        Ok(id)
    }

    /// The day and the disputes found of each of the committee's rounds, for its statistics.
    pub async fn screening_days(&self, committee: CommitteeId) -> StoreResult<Vec<(Date, u64)>> {
        Ok(self
            .screenings(committee)
            .await?
            .into_iter()
            .map(|s| (s.held_on, s.disputes_found))
            .collect())
    }

    /// The committee's rounds, newest first, with the name of who recorded each.
    pub async fn screenings(&self, committee: CommitteeId) -> StoreResult<Vec<ScreeningRecord>> {
        let rows = sqlx::query(
            "SELECT s.id, s.held_on, s.disputes_found, s.note, u.display_name \
             FROM screenings s JOIN users u ON u.id = s.recorded_by \
             WHERE s.committee_id = $1 ORDER BY s.held_on DESC, s.recorded_at DESC",
        )
        .bind(committee.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|row| {
                let corrupt = |what: &str| StoreError::Corrupt(format!("screening {what}"));
                Ok(ScreeningRecord {
                    id: Uuid::parse_str(&row.try_get::<String, _>("id")?)
                        .map_err(|_| corrupt("id"))?,
                    held_on: parse_day(&row.try_get::<String, _>("held_on")?)
                        .map_err(|_| corrupt("day"))?,
                    disputes_found: u64::try_from(row.try_get::<i64, _>("disputes_found")?)
                        .map_err(|_| corrupt("count"))?,
                    note: row.try_get("note")?,
                    recorded_by: row.try_get("display_name")?,
                })
            })
            .collect()
    }
}
