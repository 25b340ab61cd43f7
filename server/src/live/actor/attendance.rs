//! The actor's part in consent 5 (PML 20, 23(3)): an invited participant or an observer attends
//! only while every party consents to them. Admission checks the consents in force; a consent
//! withdrawn, or a party added who has not consented yet, sends an attendee in a room back to the
//! waiting room at once.

use super::{peer, Actor, Failure};
use crate::domain::consent::attendance::needs_parties_consent;
use crate::domain::ids::ParticipantId;
use crate::domain::live::{LiveEvent, Member, MemberId, MemberKind};
use crate::live::protocol::{ReturnReason, ServerMessage};

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

    /// `party` withdrew their consent to `attendee` attending (PML 20, 23(3)). An attendee in a
    /// room goes back to the waiting room. The mediators are told who withdrew consent to whom
    /// either way, so that they know why the attendee left, or why admitting them is refused.
    pub(super) async fn attendance_withdrawn(
        &mut self,
        party: ParticipantId,
        attendee: ParticipantId,
    ) {
        let (party, attendee) = (
            MemberId::Participant(party),
            MemberId::Participant(attendee),
        );
        let now = self.registry.0.clock.now();
        let events = self.state.attendance_withdrawn(&attendee, &party, now);
        self.send_back(&events, ReturnReason::AttendanceWithdrawn)
            .await;
        self.tell_mediators(&attendee, &party, ReturnReason::AttendanceWithdrawn)
            .await;
    }

    /// `by` added `party` to the case, who has consented to no one attending yet: every invited
    /// participant and observer in a room goes back to the waiting room until that party
    /// consents too, and the mediators are told, one notice an attendee.
    pub(super) async fn party_added(&mut self, party: ParticipantId, by: MemberId) {
        let now = self.registry.0.clock.now();
        let events = self.state.party_added(&by, now);
        self.send_back(&events, ReturnReason::PartyAdded).await;
        let party = MemberId::Participant(party);
        for event in &events {
            if let LiveEvent::ReturnedToWaiting { member, .. } = event {
                self.tell_mediators(member, &party, ReturnReason::PartyAdded)
                    .await;
            }
        }
    }

    /// Carries out `events` (attendees back to waiting): the media connection of each is closed
    /// and the routing shut to and from them before anyone is told, then each is told why.
    async fn send_back(&mut self, events: &[LiveEvent], reason: ReturnReason) {
        // Unlike other changes, this one stands even if it cannot be recorded: the consent is
        // missing, and an attendee without it may not stay a moment longer.
        if let Err(err) = self.record(events).await {
            tracing::error!(case = %self.case, error = %err, "could not record a return to the waiting room");
        }
        let sent_back: Vec<MemberId> = events
            .iter()
            .filter_map(|e| match e {
                LiveEvent::ReturnedToWaiting { member, .. } => Some(member.clone()),
                _ => None,
            })
            .collect();
        for member in &sent_back {
            self.media.remove_peer(peer(member)).await;
        }
        self.sync().await;
        for member in &sent_back {
            self.send(member, ServerMessage::ReturnedToWaiting { reason });
        }
    }

    async fn tell_mediators(&self, attendee: &MemberId, party: &MemberId, reason: ReturnReason) {
        let notice = ServerMessage::AttendanceWithdrawn {
            member: attendee.to_string(),
            name: self.name_of(attendee).await,
            party: party.to_string(),
            party_name: self.name_of(party).await,
            reason,
            at: self.registry.0.clock.now().to_rfc3339(),
        };
        self.send_to_mediators(&notice);
    }
}
