//! What a member's place in a live session rests on, checked at the time of asking: at the door
//! (`http/live.rs`), when the session takes the connection, and again while they stay. A staff
//! member needs a live sign-in of an enabled account and the assignment to run the case's
//! session; a participant needs a live sign-in through an unrevoked invitation, to be still a
//! participant of this case, and the consents their role needs (PML 20, 23(3) for attendees;
//! PML 17 and 23 for the parties); and the case must be in mediation. One function decides
//! it, so that the door and the session cannot come to disagree.

use super::Joiner;
use crate::domain::case::CaseStatus;
use crate::domain::consent::ConsentKind;
use crate::domain::ids::CaseId;
use crate::domain::live::{MemberId, MemberKind, Revocation};
use crate::domain::permissions::{check_case, Actor, CaseAction, CaseScope, Denied};
use crate::domain::session::SessionPolicy;
use crate::domain::Timestamp;
use crate::secret::TokenHash;
use crate::store::{Db, StoreResult};

/// The signed-in browser session a member came in with: checking it again tells whether they
/// still hold what let them in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    Staff(TokenHash),
    Participant(TokenHash),
}

/// Entering asks more than staying: nobody new comes into a sitting whose agreement has just
/// taken effect, but those in it stay to close it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Entering,
    Staying,
}

/// Why someone may not be in the case's live session now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lost {
    /// The sign-in is gone: signed out, expired, a password reset, a disabled account, a
    /// participant removed from the case or an invitation revoked.
    SignedOut,
    /// Not to run this case's session: another committee's or case's, or not assigned to it.
    NotPermitted(Denied),
    /// A participant lacks consents their role needs (each kind named).
    ConsentsMissing(Vec<ConsentKind>),
    /// The case is not (or no longer) in mediation.
    CaseClosed(CaseStatus),
}

impl Lost {
    /// The right taken away, as the record and the member's goodbye name it.
    pub fn cause(&self) -> Revocation {
        match self {
            Lost::SignedOut => Revocation::SignedOut,
            Lost::NotPermitted(_) => Revocation::MediatorUnassigned,
            Lost::ConsentsMissing(_) => Revocation::ConsentWithdrawn,
            Lost::CaseClosed(_) => Revocation::CaseClosed,
        }
    }
}

/// May the holder of `credential` be in `case`'s live session at `stage`? If so, as which
/// member. Only the rights are read here: it runs for every member every few seconds.
pub async fn check(
    db: &Db,
    staff_sessions: SessionPolicy,
    now: Timestamp,
    case: CaseId,
    credential: &Credential,
    stage: Stage,
) -> StoreResult<Result<MemberId, Lost>> {
    let record = db.case(case).await?;
    let member = match credential {
        Credential::Staff(token) => {
            let Some(staff) = db.staff_session(token, staff_sessions, now).await? else {
                return Ok(Err(Lost::SignedOut));
            };
            let scope = CaseScope {
                case_id: record.id,
                committee_id: record.committee_id,
                mediators: &record.mediators,
            };
            if let Err(denied) = check_case(&Actor::Staff(staff), CaseAction::RunSession, &scope) {
                return Ok(Err(Lost::NotPermitted(denied)));
            }
            MemberId::Staff(staff.user_id)
        }
        Credential::Participant(token) => {
            let Some(participant) = db.participant_session(token, now).await? else {
                return Ok(Err(Lost::SignedOut));
            };
            if participant.case_id != case {
                return Ok(Err(Lost::NotPermitted(Denied::NotFound)));
            }
            let missing = db
                .consents_missing_to_join(participant.participant_id, participant.role)
                .await?;
            if !missing.is_empty() {
                return Ok(Err(Lost::ConsentsMissing(missing)));
            }
            MemberId::Participant(participant.participant_id)
        }
    };
    let open = match stage {
        Stage::Entering => record.status.opens_live_session(),
        Stage::Staying => record.status.keeps_live_session(),
    };
    if !open {
        return Ok(Err(Lost::CaseClosed(record.status)));
    }
    Ok(Ok(member))
}

/// `member`, whom `credential` let in, as the session shows them: their name and standing.
pub async fn joiner(
    db: &Db,
    case: CaseId,
    member: MemberId,
    credential: Credential,
) -> StoreResult<Joiner> {
    let (name, kind) = match &member {
        MemberId::Staff(user) => (db.user(*user).await?.display_name, MemberKind::Mediator),
        MemberId::Participant(participant) => {
            let me = db.participant(case, *participant).await?;
            let standing = me.details.standing;
            let kind = MemberKind::Participant(standing.role(), standing.side());
            (me.details.name, kind)
        }
    };
    Ok(Joiner {
        member,
        name,
        kind,
        credential,
    })
}
