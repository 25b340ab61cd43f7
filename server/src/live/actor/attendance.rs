//! The actor's part in consent 5 (PML 20, 23(3)): an invited participant or an observer attends
//! only while every party consents to them. Admission checks the consents in force.

use super::{Actor, Failure};
use crate::domain::consent::attendance::needs_parties_consent;
use crate::domain::live::{Member, MemberId, MemberKind};

impl Actor {
    /// PML 20, 23(3): an invited participant or an observer comes in only once every party has
    /// consented to them. The refusal names the parties still to consent.
    pub(super) async fn check_attendance(&self, who: &MemberId) -> Result<(), Failure> {
        let Some(Member {
            kind: MemberKind::Participant(role, _),
            ..
        }) = self.state.member(who)
        else {
            return Ok(());
        };
        let MemberId::Participant(attendee) = who else {
            return Ok(());
        };
        if !needs_parties_consent(*role) {
            return Ok(());
        }
        let db = &self.registry.0.db;
        let missing = db
            .parties_not_consenting_to(self.case, *attendee)
            .await
            .map_err(|err| {
                tracing::error!(case = %self.case, error = %err, "could not read attendance consents");
                Failure {
                    code: "internal",
                    message: "the consents could not be read".into(),
                }
            })?;
        if missing.is_empty() {
            return Ok(());
        }
        let names = db.participant_names(self.case).await.unwrap_or_default();
        let named: Vec<String> = missing
            .iter()
            .map(|p| {
                names
                    .iter()
                    .find(|(id, _)| id == p)
                    .map_or_else(|| p.to_string(), |(_, name)| name.clone())
            })
            .collect();
        Err(Failure {
            code: "attendance_not_consented",
            message: format!(
                "every party must agree to this person attending (PML 20, 23(3)); still to agree: {}",
                named.join(", ")
            ),
        })
    }
}
