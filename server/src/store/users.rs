//! Staff accounts and what a login reads of them. (The backoff after failed logins is kept at
//! the HTTP edge, per client address: see `http::lockout`.)

use super::{label, new_uuid, stored_id, unique_violation_as, Db, StoreError, StoreResult};
use crate::domain::ids::{CommitteeId, UserId};
use crate::domain::staff::{Language, NewStaffUser, StaffRole};
use crate::domain::Timestamp;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row as _};
use uuid::Uuid;

/// A staff account as the API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffUser {
    pub id: UserId,
    pub committee_id: CommitteeId,
    pub committee_name: String,
    pub username: String,
    pub display_name: String,
    pub role: StaffRole,
    pub is_lawyer: bool,
    pub languages: Vec<Language>,
    pub disabled: bool,
}

/// The two kinds of account that sign in with a password: a committee's staff, and the judicial
/// bureau's supervisors. Each has its own table, sessions and login page; the bookkeeping of
/// failed logins, locks, resets and disabling is the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Accounts {
    Staff,
    Supervisors,
}

impl Accounts {
    fn table(self) -> &'static str {
        match self {
            Self::Staff => "users",
            Self::Supervisors => "supervisors",
        }
    }

    /// The table of this kind's sessions, and its column naming the account.
    pub(super) fn sessions(self) -> (&'static str, &'static str) {
        match self {
            Self::Staff => ("staff_sessions", "user_id"),
            Self::Supervisors => ("supervisor_sessions", "supervisor_id"),
        }
    }
}

/// What a login needs to decide, and nothing more.
#[derive(Debug, Clone)]
pub struct LoginRecord {
    /// The account's id, a [`UserId`] or a [`crate::domain::ids::SupervisorId`] by its kind.
    pub id: Uuid,
    pub password_hash: String,
    pub disabled: bool,
}

const SELECT_USER: &str = "SELECT u.id, u.committee_id, c.name AS committee_name, u.username, \
     u.display_name, u.role, u.is_lawyer, u.languages, u.disabled_at \
     FROM users u JOIN committees c ON c.id = u.committee_id";

pub async fn insert(
    conn: &mut AnyConnection,
    committee_id: CommitteeId,
    user: &NewStaffUser,
    password_hash: &str,
    now: Timestamp,
) -> StoreResult<UserId> {
    let id = UserId::from_uuid(new_uuid());
    let languages: Vec<&str> = user.languages.iter().map(|l| l.as_str()).collect();
    sqlx::query(
        "INSERT INTO users (id, committee_id, username, display_name, role, is_lawyer, languages, \
         password_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id.to_string())
    .bind(committee_id.to_string())
    .bind(user.username.as_str())
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(i64::from(user.is_lawyer))
    .bind(serde_json::to_string(&languages).unwrap_or_else(|_| "[]".into()))
    .bind(password_hash)
    .bind(now.millis())
    .execute(conn)
    .await
    .map_err(unique_violation_as("username"))?;
    Ok(id)
}

fn from_row(row: &AnyRow) -> StoreResult<StaffUser> {
    let languages: Vec<String> = serde_json::from_str(&row.try_get::<String, _>("languages")?)
        .map_err(|e| StoreError::Corrupt(format!("languages: {e}")))?;
    Ok(StaffUser {
        id: stored_id(&row.try_get::<String, _>("id")?, UserId::parse)?,
        committee_id: stored_id(
            &row.try_get::<String, _>("committee_id")?,
            CommitteeId::parse,
        )?,
        committee_name: row.try_get("committee_name")?,
        username: row.try_get("username")?,
        display_name: row.try_get("display_name")?,
        role: label(&row.try_get::<String, _>("role")?, StaffRole::parse)?,
        is_lawyer: row.try_get::<i64, _>("is_lawyer")? != 0,
        languages: languages
            .iter()
            .map(|l| label(l, Language::parse))
            .collect::<StoreResult<_>>()?,
        disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
    })
}

impl Db {
    pub async fn create_user(
        &self,
        committee_id: CommitteeId,
        user: &NewStaffUser,
        password_hash: &str,
        now: Timestamp,
    ) -> StoreResult<UserId> {
        let mut conn = self.pool().acquire().await?;
        insert(&mut conn, committee_id, user, password_hash, now).await
    }

    pub async fn user(&self, id: UserId) -> StoreResult<StaffUser> {
        let row = sqlx::query(&format!("{SELECT_USER} WHERE u.id = $1"))
            .bind(id.to_string())
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    pub async fn user_by_username(&self, username: &str) -> StoreResult<StaffUser> {
        let row = sqlx::query(&format!("{SELECT_USER} WHERE u.username = $1"))
            .bind(username)
            .fetch_optional(self.pool())
            .await?
            .ok_or(StoreError::NotFound)?;
        from_row(&row)
    }

    /// The users of one committee, or of every committee when `committee_id` is `None`.
    pub async fn users(&self, committee_id: Option<CommitteeId>) -> StoreResult<Vec<StaffUser>> {
        let rows = match committee_id {
            Some(id) => {
                sqlx::query(&format!(
                    "{SELECT_USER} WHERE u.committee_id = $1 ORDER BY u.username"
                ))
                .bind(id.to_string())
                .fetch_all(self.pool())
                .await?
            }
            None => {
                sqlx::query(&format!("{SELECT_USER} ORDER BY c.name, u.username"))
                    .fetch_all(self.pool())
                    .await?
            }
        };
        rows.iter().map(from_row).collect()
    }

    pub async fn user_count(&self) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(self.pool())
            .await?)
    }

    pub async fn login_record(
        &self,
        accounts: Accounts,
        username: &str,
    ) -> StoreResult<Option<LoginRecord>> {
        let row = sqlx::query(&format!(
            "SELECT id, password_hash, disabled_at FROM {} WHERE username = $1",
            accounts.table()
        ))
        .bind(username)
        .fetch_optional(self.pool())
        .await?;
        row.map(|row| {
            Ok(LoginRecord {
                id: stored_id(&row.try_get::<String, _>("id")?, |raw| {
                    uuid::Uuid::parse_str(raw).ok()
                })?,
                password_hash: row.try_get("password_hash")?,
                disabled: row.try_get::<Option<i64>, _>("disabled_at")?.is_some(),
            })
        })
        .transpose()
    }

    /// Replaces a password and ends every session of the account: whoever knew the old password
    /// is signed out.
    pub async fn set_password(
        &self,
        accounts: Accounts,
        id: Uuid,
        password_hash: &str,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        let updated = sqlx::query(&format!(
            "UPDATE {} SET password_hash = $1 WHERE id = $2",
            accounts.table()
        ))
        .bind(password_hash)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        end_sessions_of(&mut tx, accounts, id).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Disables an account and ends its sessions at once.
    pub async fn disable_account(
        &self,
        accounts: Accounts,
        id: Uuid,
        now: Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.pool().begin().await?;
        let updated = sqlx::query(&format!(
            "UPDATE {} SET disabled_at = COALESCE(disabled_at, $1) WHERE id = $2",
            accounts.table()
        ))
        .bind(now.millis())
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        end_sessions_of(&mut tx, accounts, id).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn end_sessions_of(
    conn: &mut AnyConnection,
    accounts: Accounts,
    id: Uuid,
) -> StoreResult<()> {
    let (table, owner) = accounts.sessions();
    sqlx::query(&format!("DELETE FROM {table} WHERE {owner} = $1"))
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}
