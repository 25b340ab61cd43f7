//! What the committee's report counts, read from the record of each of its cases.

use super::{label, stored_id, Db, StoreResult};
use crate::domain::case::{CaseSource, DisputeType};
use crate::domain::follow_up::Performance;
use crate::domain::ids::{CaseId, CommitteeId};
use crate::domain::statistics::CaseFacts;
use crate::domain::Timestamp;
use sqlx::Row as _;
use std::collections::HashMap;

impl Db {
    /// The facts of every case of `committee`, for [`crate::domain::statistics::report`].
    pub async fn statistics_facts(
        &self,
        committee: CommitteeId,
    ) -> StoreResult<HashMap<CaseId, CaseFacts>> {
        let id = committee.to_string();
        let rows = sqlx::query(
            "SELECT id, dispute_type, source, amount_fen, difficult, prevented_criminal, \
             prevented_mass_petition FROM cases \
             WHERE committee_id = $1",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        let mut facts: HashMap<CaseId, CaseFacts> = HashMap::new();
        for row in &rows {
            facts.insert(
                stored_id(&row.try_get::<String, _>("id")?, CaseId::parse)?,
                CaseFacts {
                    dispute_type: label(
                        &row.try_get::<String, _>("dispute_type")?,
                        DisputeType::parse,
                    )?,
                    source: label(&row.try_get::<String, _>("source")?, CaseSource::parse)?,
                    amount_fen: row.try_get("amount_fen")?,
                    difficult: row.try_get::<i64, _>("difficult")? != 0,
                    prevented: super::cases::prevented_of(row)?,
                    accepted_on: None,
                    effective_on: None,
                    terminated_on: None,
                    judicially_confirmed: false,
                    visits: Vec::new(),
                },
            );
        }
        // The lifecycle's steps, from the chain: when each case was accepted, and whether it
        // was terminated.
        let steps = sqlx::query(
            "SELECT e.case_id, e.at, e.payload FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE c.committee_id = $1 AND e.kind = 'status_changed'",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for row in &steps {
            let case = stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?;
            let payload: serde_json::Value =
                serde_json::from_str(&row.try_get::<String, _>("payload")?).unwrap_or_default();
            let Some(fact) = facts.get_mut(&case) else {
                continue;
            };
            let day = Timestamp::from_millis(row.try_get("at")?).date_in_china();
            match payload.get("transition").and_then(|t| t.as_str()) {
                Some("accept") => fact.accepted_on = Some(day),
                Some("terminate") => fact.terminated_on = Some(day),
                _ => {}
            }
        }
        let answers = sqlx::query(
            "SELECT e.case_id, e.payload FROM case_events e JOIN cases c ON c.id = e.case_id \
             WHERE c.committee_id = $1 AND e.kind = 'court_answered'",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for row in &answers {
            let case = stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?;
            let payload: serde_json::Value =
                serde_json::from_str(&row.try_get::<String, _>("payload")?).unwrap_or_default();
            if payload.get("answer").and_then(|a| a.as_str()) == Some("confirmed") {
                if let Some(fact) = facts.get_mut(&case) {
                    fact.judicially_confirmed = true;
                }
            }
        }
        let effective = sqlx::query(
            "SELECT v.case_id, v.sealed_at FROM agreement_versions v JOIN cases c \
             ON c.id = v.case_id WHERE c.committee_id = $1 AND v.sealed_at IS NOT NULL",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for row in &effective {
            let case = stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?;
            if let Some(fact) = facts.get_mut(&case) {
                let at = Timestamp::from_millis(row.try_get("sealed_at")?);
                fact.effective_on = Some(at.date_in_china());
            }
        }
        let visits = sqlx::query(
            "SELECT f.case_id, f.visited_at, f.performance FROM follow_up_visits f JOIN cases c \
             ON c.id = f.case_id WHERE c.committee_id = $1 AND f.visited_at IS NOT NULL",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        for row in &visits {
            let case = stored_id(&row.try_get::<String, _>("case_id")?, CaseId::parse)?;
            let performance: Option<String> = row.try_get("performance")?;
            if let (Some(fact), Some(performance)) = (facts.get_mut(&case), performance) {
                let day = Timestamp::from_millis(row.try_get("visited_at")?).date_in_china();
                fact.visits
                    .push((day, label(&performance, Performance::parse)?));
            }
        }
        Ok(facts)
    }
}
