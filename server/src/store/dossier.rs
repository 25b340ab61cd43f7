//! What a case's record holds for its dossier (卷宗), and the search of archived dossiers.

use super::cases::CaseRecord;
use super::{Db, StoreResult};
use crate::domain::consent::ConsentKind;
use crate::domain::dossier::RecordHolds;
use crate::domain::ids::{CaseId, CommitteeId};
use crate::domain::participant::ParticipantRole;

/// Which archived dossiers to find; empty fields match everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DossierSearch {
    /// The case's sequence number within its year ("第 N 号").
    pub seq: Option<i64>,
    pub year: Option<i32>,
    /// Part of a participant's name.
    pub party: String,
    /// A dispute type's label (`neighbour`, ...).
    pub dispute_type: String,
    /// Registered from / until (Unix ms, inclusive).
    pub registered_from: Option<i64>,
    pub registered_until: Option<i64>,
    /// A mediator's user id.
    pub mediator: String,
    /// `agreement` (an agreement in effect) or `terminated`.
    pub outcome: String,
}

impl Db {
    /// What the record of `case` holds, item by item (domain::dossier).
    pub async fn dossier_holds(&self, case: CaseId) -> StoreResult<RecordHolds> {
        let id = case.to_string();
        let count = |sql: &'static str| {
            let id = id.clone();
            async move {
                let n: i64 = sqlx::query_scalar(sql)
                    .bind(id)
                    .fetch_one(self.pool())
                    .await?;
                StoreResult::Ok(n)
            }
        };
        let parties: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM participants WHERE case_id = $1 AND role = $2 AND removed_at IS NULL",
        )
        .bind(&id)
        .bind(ParticipantRole::Party.as_str())
        .fetch_one(self.pool())
        .await?;
        let notified: i64 = sqlx::query_scalar(
            "SELECT COUNT(DISTINCT c.participant_id) FROM consents c JOIN participants p \
             ON p.id = c.participant_id WHERE c.case_id = $1 AND c.kind = $2 \
             AND c.withdrawn_at IS NULL AND p.role = $3 AND p.removed_at IS NULL",
        )
        .bind(&id)
        .bind(ConsentKind::RightsNotice.as_str())
        .bind(ParticipantRole::Party.as_str())
        .fetch_one(self.pool())
        .await?;
        let verified: Vec<String> = sqlx::query_scalar(
            "SELECT payload FROM case_events WHERE case_id = $1 AND kind = 'identity_verified'",
        )
        .bind(&id)
        .fetch_all(self.pool())
        .await?;
        let party_ids: Vec<String> = sqlx::query_scalar(
            "SELECT id FROM participants WHERE case_id = $1 AND role = $2 AND removed_at IS NULL",
        )
        .bind(&id)
        .bind(ParticipantRole::Party.as_str())
        .fetch_all(self.pool())
        .await?;
        let identities_verified = !party_ids.is_empty()
            && party_ids.iter().all(|p| {
                verified.iter().any(|payload| {
                    serde_json::from_str::<serde_json::Value>(payload)
                        .ok()
                        .and_then(|v| {
                            v.get("participant")
                                .and_then(|x| x.as_str())
                                .map(|x| x == p)
                        })
                        .unwrap_or(false)
                })
            });
        Ok(RecordHolds {
            registered: true,
            rights_notice_by_all: parties > 0 && notified >= parties,
            identities_verified,
            agents: count(
                "SELECT COUNT(*) FROM participants WHERE case_id = $1 AND role = 'agent' \
                 AND removed_at IS NULL",
            )
            .await?
                > 0,
            notes: count("SELECT COUNT(*) FROM session_notes WHERE case_id = $1").await? > 0,
            agreement_effective: count(
                "SELECT COUNT(*) FROM agreement_versions WHERE case_id = $1 AND sealed_at IS NOT NULL",
            )
            .await?
                > 0,
            termination: count("SELECT COUNT(*) FROM terminations WHERE case_id = $1").await? > 0,
            visits_recorded: count(
                "SELECT COUNT(*) FROM follow_up_visits WHERE case_id = $1 AND visited_at IS NOT NULL",
            )
            .await?
                > 0,
            judicial_confirmation: count(
                "SELECT COUNT(*) FROM case_events WHERE case_id = $1 \
                 AND kind = 'judicial_confirmation_filed'",
            )
            .await?
                > 0,
        })
    }

    /// The archived cases of `committee` that match `search`, newest first.
    pub async fn search_dossiers(
        &self,
        committee: CommitteeId,
        search: &DossierSearch,
    ) -> StoreResult<Vec<CaseRecord>> {
        let ids: Vec<String> = sqlx::query_scalar(
            "SELECT c.id FROM cases c WHERE c.committee_id = $1 AND c.status = 'archived' \
             AND ($2 < 0 OR c.seq = $2) AND ($3 < 0 OR c.year = $3) \
             AND ($4 = '' OR c.id IN (SELECT case_id FROM participants WHERE name LIKE $5)) \
             AND ($6 = '' OR c.dispute_type = $6) \
             AND ($7 < 0 OR c.created_at >= $7) AND ($8 < 0 OR c.created_at <= $8) \
             AND ($9 = '' OR c.id IN (SELECT case_id FROM case_mediators WHERE user_id = $9)) \
             AND ($10 = '' OR ($10 = 'agreement' AND c.id IN \
                  (SELECT case_id FROM agreement_versions WHERE sealed_at IS NOT NULL)) \
                  OR ($10 = 'terminated' AND c.id IN (SELECT case_id FROM terminations))) \
             ORDER BY c.created_at DESC, c.id",
        )
        .bind(committee.to_string())
        .bind(search.seq.unwrap_or(-1))
        .bind(search.year.map_or(-1, i64::from))
        .bind(&search.party)
        .bind(format!("%{}%", search.party.replace(['%', '_'], "")))
        .bind(&search.dispute_type)
        .bind(search.registered_from.unwrap_or(-1))
        .bind(search.registered_until.unwrap_or(-1))
        .bind(&search.mediator)
        .bind(&search.outcome)
        .fetch_all(self.pool())
        .await?;
        let mut found = Vec::new();
        for id in ids {
            if let Some(case) = CaseId::parse(&id) {
                found.push(self.case(case).await?);
            }
        }
        Ok(found)
    }
}
