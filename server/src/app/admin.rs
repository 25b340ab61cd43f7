//! `accord admin`: what an operator at the server's console can do without a browser: create
//! committees, staff and supervisors' accounts, list them, reset a password, disable an account.

use crate::domain::committee::{CommitteeKind, NewCommittee};
use crate::domain::ids::CommitteeId;
use crate::domain::staff::{check_password, Language, NewStaffUser, StaffRole};
use crate::domain::supervision::NewSupervisor;
use crate::domain::Timestamp;
use crate::store::users::Accounts;
use crate::store::{Db, StoreError};
use anyhow::{anyhow, bail, Context as _};
use clap::Subcommand;
use std::io::{BufRead, Write};

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create a committee and print its id.
    CreateCommittee {
        #[arg(long)]
        name: String,
        /// street_town, village_community, industry_professional or court_annexed.
        #[arg(long, value_parser = parse_kind)]
        kind: CommitteeKind,
        /// e.g. 北京市朝阳区
        #[arg(long)]
        region: String,
    },
    /// List committees with their ids.
    ListCommittees,
    /// Create a staff account; the password is read from standard input (one line).
    CreateUser {
        /// The committee's id (see list-committees).
        #[arg(long)]
        committee: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
        /// admin or mediator.
        #[arg(long, value_parser = parse_role)]
        role: StaffRole,
        /// The user is a lawyer-mediator.
        #[arg(long)]
        lawyer: bool,
        /// Languages the user mediates in (zh-CN, en); repeat for several.
        #[arg(long = "language", value_parser = parse_language)]
        languages: Vec<Language>,
    },
    /// List staff accounts, of one committee or of all.
    ListUsers {
        #[arg(long)]
        committee: Option<String>,
    },
    /// Create a supervisor's account (监督: judicial bureau staff who follow the committees of a
    /// region, read-only and without confidential content); the password is read from standard
    /// input (one line).
    CreateSupervisor {
        /// The region followed; it covers every committee whose region begins with it, so
        /// 北京市 covers 北京市朝阳区.
        #[arg(long)]
        region: String,
        #[arg(long)]
        username: String,
        #[arg(long)]
        display_name: String,
    },
    /// List supervisors' accounts.
    ListSupervisors,
    /// Set a new password (read from standard input), lift any lock and sign the user out.
    ResetPassword {
        username: String,
        /// The account is a supervisor's, not a committee's.
        #[arg(long)]
        supervisor: bool,
    },
    /// Disable an account and sign it out everywhere.
    DisableUser {
        username: String,
        /// The account is a supervisor's, not a committee's.
        #[arg(long)]
        supervisor: bool,
    },
}

fn parse_kind(raw: &str) -> Result<CommitteeKind, String> {
    CommitteeKind::parse(raw).ok_or_else(|| format!("one of {}", labels(CommitteeKind::ALL)))
}

fn parse_role(raw: &str) -> Result<StaffRole, String> {
    StaffRole::parse(raw).ok_or_else(|| format!("one of {}", labels(StaffRole::ALL)))
}

fn parse_language(raw: &str) -> Result<Language, String> {
    Language::parse(raw).ok_or_else(|| format!("one of {}", labels(Language::ALL)))
}

fn labels<T: std::fmt::Display>(all: &[T]) -> String {
    all.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn committee_id(raw: &str) -> anyhow::Result<CommitteeId> {
    CommitteeId::parse(raw).ok_or_else(|| anyhow!("{raw:?} is not a committee id"))
}

fn read_password(input: &mut dyn BufRead) -> anyhow::Result<String> {
    let mut line = String::new();
    input
        .read_line(&mut line)
        .context("reading the password from standard input")?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    check_password(&password).map_err(|e| anyhow!("the password {e}"))?;
    Ok(password)
}

/// Runs one admin command against `db`, reading passwords from `input` and writing results to
/// `out`.
pub async fn run(
    command: AdminCommand,
    db: &Db,
    now: Timestamp,
    input: &mut dyn BufRead,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match command {
        AdminCommand::CreateCommittee { name, kind, region } => {
            let committee = NewCommittee::parse(&name, kind, &region)?;
            let id = db.create_committee(&committee, now).await?;
            writeln!(out, "{id}")?;
        }
        AdminCommand::ListCommittees => {
            for c in db.committees().await? {
                writeln!(out, "{}\t{}\t{}\t{}", c.id, c.kind, c.region, c.name)?;
            }
        }
        AdminCommand::CreateUser {
            committee,
            username,
            display_name,
            role,
            lawyer,
            languages,
        } => {
            let committee = committee_id(&committee)?;
            match db.committee(committee).await {
                Err(StoreError::NotFound) => bail!("no committee has the id {committee}"),
                other => other?,
            };
            let password = read_password(input)?;
            let user = NewStaffUser::parse(
                &username,
                &display_name,
                role,
                lawyer,
                &languages,
                &password,
            )?;
            let hash = crate::password::hash(password).await?;
            let id = match db.create_user(committee, &user, &hash, now).await {
                Err(StoreError::Conflict { .. }) => {
                    bail!("the username {} is taken", user.username.as_str())
                }
                other => other?,
            };
            writeln!(out, "{id}")?;
        }
        AdminCommand::ListUsers { committee } => {
            let committee = committee.as_deref().map(committee_id).transpose()?;
            for u in db.users(committee).await? {
                let state = if u.disabled { "disabled" } else { "active" };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}\t{}",
                    u.id, u.username, u.role, state, u.committee_name, u.display_name
                )?;
            }
        }
        AdminCommand::CreateSupervisor {
            region,
            username,
            display_name,
        } => {
            let password = read_password(input)?;
            let supervisor = NewSupervisor::parse(&username, &display_name, &region, &password)?;
            let hash = crate::password::hash(password).await?;
            let id = match db.create_supervisor(&supervisor, &hash, now).await {
                Err(StoreError::Conflict { .. }) => {
                    bail!("the username {} is taken", supervisor.username.as_str())
                }
                other => other?,
            };
            writeln!(out, "{id}")?;
        }
        AdminCommand::ListSupervisors => {
            for s in db.supervisors().await? {
                let state = if s.disabled { "disabled" } else { "active" };
                writeln!(
                    out,
                    "{}\t{}\t{}\t{}\t{}",
                    s.id, s.username, state, s.region, s.display_name
                )?;
            }
        }
        AdminCommand::ResetPassword {
            username,
            supervisor,
        } => {
            let (accounts, id) = find_account(db, &username, supervisor).await?;
            let password = read_password(input)?;
            let hash = crate::password::hash(password).await?;
            db.set_password(accounts, id, &hash).await?;
            writeln!(out, "password reset for {username}")?;
        }
        AdminCommand::DisableUser {
            username,
            supervisor,
        } => {
            let (accounts, id) = find_account(db, &username, supervisor).await?;
            db.disable_account(accounts, id, now).await?;
            writeln!(out, "{username} is disabled")?;
        }
    }
    Ok(())
}

/// The account called `username`: a supervisor's if `supervisor`, else a committee's.
async fn find_account(
    db: &Db,
    username: &str,
    supervisor: bool,
) -> anyhow::Result<(Accounts, uuid::Uuid)> {
    let name = username.trim().to_ascii_lowercase();
    let found = if supervisor {
        db.supervisor_by_username(&name)
            .await
            .map(|s| (Accounts::Supervisors, s.id.uuid()))
    } else {
        db.user_by_username(&name)
            .await
            .map(|u| (Accounts::Staff, u.id.uuid()))
    };
    match found {
        Ok(account) => Ok(account),
        Err(StoreError::NotFound) => bail!("no account is called {username}"),
        Err(err) => Err(err.into()),
    }
}
