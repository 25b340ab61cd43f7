//! What happens to a case, as the events of its hash-chained log (DESIGN.md, Data). Each event is
//! stored as its `kind` and a JSON `payload`; the tables people read are projections of them.

use super::agreement::AgreementForm;
use super::case::{CaseSource, CaseStatus, CaseTransition, DisputeType};
use super::confirmation::CourtAnswer;
use super::consent::ConsentKind;
use super::follow_up::{Performance, Satisfaction};
use super::ids::{AgendaItemId, InvitationId, ParticipantId, UserId};
use super::participant::{IdentityMethod, ParticipantRole, PersonKind, Side};
use super::staff::Language;
use super::termination::{NoticeGiven, TerminationReason};
use serde::Serialize;
use uuid::Uuid;

/// Who caused an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventActor {
    Staff(UserId),
    Participant(ParticipantId),
    /// The operator at the server's console (`accord admin`).
    Operator,
    /// The server itself, e.g. closing a session everyone has left.
    System,
}

impl std::fmt::Display for EventActor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EventActor::Staff(id) => write!(f, "user:{id}"),
            EventActor::Participant(id) => write!(f, "participant:{id}"),
            EventActor::Operator => f.write_str("operator"),
            EventActor::System => f.write_str("system"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum CaseEvent {
    CaseRegistered {
        number: String,
        dispute_type: DisputeType,
        source: CaseSource,
        summary: String,
        amount_fen: Option<i64>,
    },
    DetailsEdited {
        dispute_type: DisputeType,
        source: CaseSource,
        summary: String,
        amount_fen: Option<i64>,
    },
    StatusChanged {
        transition: CaseTransition,
        from: CaseStatus,
        to: CaseStatus,
    },
    /// The staff count the case as difficult or complex (疑难复杂), or no longer do.
    DifficultyMarked {
        difficult: bool,
    },
    /// The committee counts the case as having prevented these escalations, or no longer does.
    EscalationPreventedMarked {
        criminal: bool,
        mass_petition: bool,
    },
    MediatorsAssigned {
        mediators: Vec<UserId>,
    },
    ParticipantAdded {
        participant: ParticipantId,
        role: ParticipantRole,
        side: Option<Side>,
        person_kind: Option<PersonKind>,
        represents: Option<ParticipantId>,
        name: String,
    },
    ParticipantEdited {
        participant: ParticipantId,
        name: String,
    },
    ParticipantRemoved {
        participant: ParticipantId,
    },
    InvitationIssued {
        invitation: InvitationId,
        participant: ParticipantId,
        expires_at_ms: i64,
    },
    InvitationRevoked {
        invitation: InvitationId,
    },
    InvitationRedeemed {
        invitation: InvitationId,
        participant: ParticipantId,
    },
    /// A live session (one sitting) began: the first mediator joined.
    SessionStarted {
        session: Uuid,
    },
    /// A mediator locked the session against new arrivals, or unlocked it.
    SessionLocked {
        session: Uuid,
        locked: bool,
    },
    /// It ended: by a mediator, or when everyone had gone (`by` absent).
    SessionEnded {
        session: Uuid,
        by: Option<String>,
    },
    /// `member` is the member's stream name (`s-<user id>` or `p-<participant id>`).
    SessionKnocked {
        session: Uuid,
        member: String,
    },
    SessionJoined {
        session: Uuid,
        member: String,
        room: u32,
    },
    SessionResumed {
        session: Uuid,
        member: String,
        room: u32,
    },
    SessionAdmitted {
        session: Uuid,
        member: String,
    },
    SessionDenied {
        session: Uuid,
        member: String,
        reason: String,
    },
    SessionRoomCreated {
        session: Uuid,
        room: u32,
        name: String,
    },
    SessionMoved {
        session: Uuid,
        member: String,
        room: u32,
    },
    SessionRemoved {
        session: Uuid,
        member: String,
        reason: String,
    },
    SessionLeft {
        session: Uuid,
        member: String,
    },
    /// An invited participant or observer went back to the waiting room, out of every room,
    /// because a party withdrew their consent to them attending (PML 20, 23(3)), the actor, or
    /// because the actor added a party to the case who has not consented yet.
    SessionReturnedToWaiting {
        session: Uuid,
        member: String,
    },
    /// A member left the session at once because a right their presence rested on was taken
    /// away outside it (removed from the case, invitation revoked, no longer assigned, account
    /// disabled or signed out, a needed consent withdrawn, the case closed): `cause` says which.
    SessionEvicted {
        session: Uuid,
        member: String,
        cause: super::live::Revocation,
    },
    /// A chat message: only its SHA-256 is in the chain; the text is kept apart.
    ChatPosted {
        session: Uuid,
        member: String,
        room: u32,
        text_sha256: String,
    },
    /// A participant consented to a text (its version, language and SHA-256 as shown).
    ConsentGiven {
        participant: ParticipantId,
        kind: ConsentKind,
        version: String,
        language: Language,
        text_hash: String,
        channel: String,
    },
    ConsentWithdrawn {
        participant: ParticipantId,
        kind: ConsentKind,
    },
    /// A party consented to `attendee` (invited or observer) attending (PML 20, 23(3)), to
    /// the text of `version` in `language` whose SHA-256 is `text_hash`.
    AttendanceConsented {
        party: ParticipantId,
        attendee: ParticipantId,
        version: String,
        language: Language,
        text_hash: String,
    },
    AttendanceConsentWithdrawn {
        party: ParticipantId,
        attendee: ParticipantId,
    },
    /// A mediator checked who a participant is (OMR 17; DESIGN.md, identity and keys).
    IdentityVerified {
        participant: ParticipantId,
        method: IdentityMethod,
    },
    /// A mediator checked that an agent's power of attorney gives special authority to settle
    /// and sign the agreement for `principal` (特别授权), with the SHA-256 of its scan when the
    /// committee keeps one.
    SigningAuthorityVerified {
        agent: ParticipantId,
        principal: ParticipantId,
        document_sha256: Option<String>,
    },
    /// A new version of the agreement was saved; `voided` is the frozen version it replaces,
    /// whose signatures no longer count. The text is in the agreement package; the chain
    /// holds its hash.
    AgreementDrafted {
        version: u64,
        form: AgreementForm,
        agreement_hash: String,
        voided: Option<u64>,
    },
    /// A version was frozen for signing.
    AgreementFinalised {
        version: u64,
        agreement_hash: String,
    },
    /// Return visits planned when the agreement took effect: one per term, on its deadline.
    FollowUpScheduled {
        version: u64,
        visits: Vec<ScheduledVisit>,
    },
    /// A return visit was made: how the term was performed and how satisfied the parties are.
    /// The note's text is kept apart; the chain holds its SHA-256.
    FollowUpRecorded {
        visit: Uuid,
        term: usize,
        performance: Performance,
        satisfaction: Satisfaction,
        note_sha256: Option<String>,
    },
    /// An oral agreement the mediator recorded took effect (PML 28, 30): no signature, no seal.
    OralAgreementEffective {
        version: u64,
        agreement_hash: String,
    },
    /// An agreement on a personal relationship (ESL 3) was signed by every party and the
    /// mediator on paper and sealed there by the committee (PML 29): it took effect. The paper
    /// original goes into the dossier; the chain holds the SHA-256 of its scan.
    AgreementSignedOnPaper {
        version: u64,
        agreement_hash: String,
        scan_sha256: String,
    },
    /// Someone commented on a version; the text is kept apart, as chat is.
    AgreementCommented {
        version: u64,
        author: String,
        text_sha256: String,
    },
    /// A signer's browser-made key bound to them (`signer` is `p-<participant>` or
    /// `s-<staff user>`). The payload extends `record::agreement::key_bound_payload`.
    SignerKeyBound {
        signer: String,
        key_thumbprint: String,
        public_key: serde_json::Value,
    },
    /// A signature, verified by the server (`record::agreement::signed_payload`).
    AgreementSigned {
        signer: String,
        version: u64,
        agreement_hash: String,
        key_thumbprint: String,
    },
    /// The committee's seal went on and the agreement took effect
    /// (`record::agreement::sealed_payload`; PML 29, OMR 19).
    AgreementSealed {
        version: u64,
        agreement_hash: String,
        seal_public_key: String,
    },
    /// The agenda (domain::agenda): an item added at `position` (from 0), edited, moved,
    /// taken up, closed with the whole seconds spent on it, or deleted.
    AgendaItemAdded {
        item: AgendaItemId,
        title: String,
        description: Option<String>,
        position: u32,
    },
    AgendaItemEdited {
        item: AgendaItemId,
        title: String,
        description: Option<String>,
    },
    AgendaReordered {
        items: Vec<AgendaItemId>,
    },
    AgendaItemStarted {
        item: AgendaItemId,
    },
    AgendaItemFinished {
        item: AgendaItemId,
        seconds_spent: i64,
    },
    AgendaItemSkipped {
        item: AgendaItemId,
        seconds_spent: i64,
    },
    AgendaItemDeleted {
        item: AgendaItemId,
    },
    /// A version of the mediator's notes of one sitting (调解笔录): like chat, only the text's
    /// SHA-256 is in the chain, so that an exported record proves the notes without revealing
    /// them; the text is kept apart.
    NotesSaved {
        session: Uuid,
        version: u32,
        text_sha256: String,
    },
    /// The mediator ended a mediation that failed, and gave the parties the notice of their other
    /// routes (PML 26): its version and the SHA-256 of its text in each language.
    MediationTerminated {
        reasons: Vec<TerminationReason>,
        details: Option<String>,
        notices: Vec<NoticeGiven>,
    },
    /// The mediator prepared the parties' joint application for judicial confirmation of the
    /// agreement in effect (PML 33), to `court_id`, stating whether it settles personal status
    /// or ownership (SPC CPL interpretation 2022, art. 355). Each party then consents to it
    /// (consent 11, a `consent_given` event).
    JudicialConfirmationPrepared {
        application: Uuid,
        court_id: String,
        court_name: String,
        agreement_version: u64,
        agreement_hash: String,
        personal_status: bool,
        ownership: bool,
    },
    /// Filed with both parties' consent: the bundle whose SHA-256 is `bundle_sha256` is in the
    /// outbox for the court.
    JudicialConfirmationFiled {
        application: Uuid,
        court_id: String,
        bundle_sha256: String,
    },
    /// The court's endpoint took the bundle.
    CourtBundleDelivered {
        application: Uuid,
        bundle_sha256: String,
        attempts: u64,
    },
    /// The court answered on its callback: accepted, confirmed (with its 调确字 number) or
    /// dismissed (with its reason).
    CourtAnswered {
        application: Uuid,
        answer: CourtAnswer,
        court_case_number: Option<String>,
        reason: Option<String>,
    },
}

/// One planned return visit, as the chain records it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScheduledVisit {
    pub visit: Uuid,
    pub term: usize,
    /// `YYYY-MM-DD`.
    pub due_on: String,
}

impl CaseEvent {
    /// Splits the event into the `kind` and `payload` columns of the log.
    pub fn to_parts(&self) -> (String, serde_json::Value) {
        let mut value = serde_json::to_value(self).unwrap_or_default();
        let kind = value
            .get("kind")
            .and_then(|k| k.as_str())
            .unwrap_or("unknown")
            .to_owned();
        let payload = value
            .get_mut("payload")
            .map(serde_json::Value::take)
            .unwrap_or(serde_json::Value::Null);
        (kind, payload)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_into_kind_and_payload() {
        let event = CaseEvent::StatusChanged {
            transition: CaseTransition::Accept,
            from: CaseStatus::Registered,
            to: CaseStatus::Accepted,
        };
        let (kind, payload) = event.to_parts();
        assert_eq!(kind, "status_changed");
        assert_eq!(
            payload,
            serde_json::json!({"transition": "accept", "from": "registered", "to": "accepted"})
        );
    }

    #[test]
    fn actors_are_labelled_by_kind() {
        let id = UserId::from_uuid(uuid::Uuid::nil());
        assert_eq!(
            EventActor::Staff(id).to_string(),
            "user:00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(EventActor::Operator.to_string(), "operator");
    }
}
