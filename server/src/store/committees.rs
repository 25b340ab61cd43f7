//! Committees.

use super::{label, new_uuid, stored_id, Db, StoreError, StoreResult};
use crate::domain::committee::{CommitteeKind, NewCommittee};
use crate::domain::ids::CommitteeId;
use crate::domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Committee {
    pub id: CommitteeId,
    pub name: String,
    pub kind: CommitteeKind,
    pub region: String,
}

pub async fn insert(
    conn: &mut AnyConnection,
    committee: &NewCommittee,
    now: Timestamp,
) -> StoreResult<CommitteeId> {
    let id = CommitteeId::from_uuid(new_uuid());
    sqlx::query(
        "INSERT INTO committees (id, name, kind, region, created_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(id.to_string())
    .bind(&committee.name)
    .bind(committee.kind.as_str())
    .bind(&committee.region)
    .bind(now.millis())
    .execute(conn)
    .await?;
    Ok(id)
}

impl Db {
    pub async fn committee(&self, id: CommitteeId) -> StoreResult<Committee> {
        let row = sqlx::query("SELECT id, name, kind, region FROM committees WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    pub async fn committees(&self) -> StoreResult<Vec<Committee>> {
        let rows = sqlx::query("SELECT id, name, kind, region FROM committees ORDER BY created_at")
            .fetch_all(self.pool())
            .await?;
        rows.iter().map(from_row).collect()
    }

    pub async fn create_committee(
        &self,
        committee: &NewCommittee,
        now: Timestamp,
    ) -> StoreResult<CommitteeId> {
        let mut conn = self.pool().acquire().await?;
        insert(&mut conn, committee, now).await
    }
}

fn from_row(row: &AnyRow) -> StoreResult<Committee> {
    Ok(Committee {
        id: stored_id(&row.try_get::<String, _>("id")?, CommitteeId::parse)?,
        name: row.try_get("name")?,
        kind: label(&row.try_get::<String, _>("kind")?, CommitteeKind::parse)?,
        region: row.try_get("region")?,
    })
}
