//! The actor of one live session: the only writer of its state. Every change goes the same way:
//! apply it to the domain model, record the resulting events in the case's log (durable before
//! anyone is told), hand the new routing to the media task (which shuts its gates before it
//! answers), and only then send each member what they may now see.

use super::authority::Credential;
use super::protocol::{ClientMessage, GoodbyeReason, ServerMessage, SUBPROTOCOL};
use super::record::{actor_of, to_record};
use super::{views, Command, ConnectionId, Farewell, JoinError, Joiner, LiveRegistry, Outbound};
use crate::domain::case::{CaseStatus, CaseTransition};
use crate::domain::consent::ConsentKind;
use crate::domain::events::{CaseEvent, EventActor};
use crate::domain::ids::CaseId;
use crate::domain::live::{
    LiveEvent, LiveSession, MemberId, MemberKind, Presence, Refusal, RoomId,
};
use crate::domain::participant::ParticipantRole;
use crate::media::{MediaError, MediaEvent, MediaHandle, MediaSession, PeerId, Routing};
use crate::store::events::ChatMessage;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

/// How often every member's rights are checked again, for changes the session is not told of
/// (an operator's command at the console, a sign-in that expired).
const RECHECK_EVERY: Duration = Duration::from_secs(5);

mod attendance;
mod eviction;

/// Close codes sent with a goodbye (4000-4999 are the application's own).
const CLOSE_NORMAL: u16 = 1000;
/// Like HTTP's 401: the right to be here was taken away; sign in or get a new link.
const CLOSE_REVOKED: u16 = 4401;
const CLOSE_DENIED: u16 = 4403;
const CLOSE_REPLACED: u16 = 4409;
const CLOSE_ENDED: u16 = 4410;

pub(super) fn spawn(
    registry: LiveRegistry,
    case: CaseId,
    generation: u64,
    mailbox: mpsc::Receiver<Command>,
) {
    let (media, media_events) = MediaSession::spawn(
        registry.0.config.media.clone(),
        registry.0.media_metrics.clone(),
    );
    let actor = Actor {
        case,
        session: Uuid::now_v7(),
        generation,
        state: LiveSession::new(),
        registry,
        media,
        connections: HashMap::new(),
        credentials: HashMap::new(),
        last_recheck: Instant::now(),
        next_connection: 1,
        routing: Routing::default(),
        quiet_since: Some(Instant::now()),
        finished: false,
    };
    tokio::spawn(actor.run(mailbox, media_events));
}

#[derive(Debug)]
struct Conn {
    id: ConnectionId,
    tx: mpsc::Sender<Outbound>,
    /// Taken when the member is evicted.
    farewell: Option<oneshot::Sender<Farewell>>,
}

struct Actor {
    case: CaseId,
    session: Uuid,
    generation: u64,
    state: LiveSession,
    registry: LiveRegistry,
    media: MediaHandle,
    connections: HashMap<MemberId, Conn>,
    /// What each member who came in holds: their place lasts as long as it does.
    credentials: HashMap<MemberId, Credential>,
    last_recheck: Instant,
    next_connection: u64,
    routing: Routing,
    /// Since when nobody has been connected.
    quiet_since: Option<Instant>,
    finished: bool,
}

/// A refusal or failure to report to the member who asked.
struct Failure {
    code: &'static str,
    message: String,
}

impl From<Refusal> for Failure {
    fn from(refusal: Refusal) -> Self {
        let code = match refusal {
            Refusal::NotAMediator => "not_a_mediator",
            Refusal::NotAdmitted => "not_admitted",
            Refusal::UnknownMember => "unknown_member",
            Refusal::NotWaiting => "not_waiting",
            Refusal::UnknownRoom => "unknown_room",
            Refusal::Denied => "denied",
            Refusal::Removed => "removed",
            Refusal::Ended => "ended",
            Refusal::Locked => "locked",
            Refusal::BadRoomName => "bad_room_name",
            Refusal::BadChatText => "bad_chat_text",
            Refusal::MediatorProtected => "mediator_protected",
            Refusal::TooManyRooms(_) => "too_many_rooms",
        };
        Failure {
            code,
            message: refusal.to_string(),
        }
    }
}

impl From<MediaError> for Failure {
    fn from(err: MediaError) -> Self {
        let code = match err {
            MediaError::BadSdp(_) => "bad_sdp",
            MediaError::NoOfferPending => "no_offer_pending",
            MediaError::BadCandidate(_) => "bad_candidate",
            MediaError::UnknownPeer => "no_peer_connection",
            MediaError::NoPort => "no_media_port",
            MediaError::Closed | MediaError::Internal(_) => "media_failure",
        };
        Failure {
            code,
            message: err.to_string(),
        }
    }
}

fn peer(member: &MemberId) -> PeerId {
    PeerId(member.to_string())
}

fn parse_member(raw: &str) -> Result<MemberId, Failure> {
    MemberId::parse(raw).ok_or(Failure {
        code: "unknown_member",
        message: "no such member".into(),
    })
}

impl Actor {
    async fn run(
        mut self,
        mut mailbox: mpsc::Receiver<Command>,
        mut media_events: mpsc::UnboundedReceiver<MediaEvent>,
    ) {
        self.registry.0.metrics.sessions.inc();
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        while !self.finished {
            tokio::select! {
                command = mailbox.recv() => match command {
                    Some(command) => self.command(command).await,
                    None => break,
                },
                Some(event) = media_events.recv() => self.media_event(event),
                _ = tick.tick() => self.tick().await,
            }
        }
        self.registry.finished(self.case, self.generation);
        // Anyone who raced in while the session was closing is told it has ended.
        mailbox.close();
        while let Some(command) = mailbox.recv().await {
            if let Command::Connect { reply, .. } = command {
                let _ = reply.send(Err(JoinError::Refused(Refusal::Ended)));
            }
        }
        self.media.shutdown().await;
        let connected = i64::try_from(self.connections.len()).unwrap_or(0);
        self.registry.0.metrics.participants.dec_by(connected);
        self.registry.0.metrics.sessions.dec();
        tracing::info!(case = %self.case, session = %self.session, "live session closed");
    }

    async fn command(&mut self, command: Command) {
        match command {
            Command::Connect {
                joiner,
                outbound,
                farewell,
                reply,
            } => {
                let result = self.connect(joiner, outbound, farewell).await;
                let _ = reply.send(result);
            }
            Command::Message {
                connection,
                message,
            } => {
                let Some(member) = self.member_of(connection) else {
                    return;
                };
                let id = message.id();
                if let Err(failure) = self.message(&member, message).await {
                    self.send(
                        &member,
                        ServerMessage::Error {
                            id: Some(id),
                            code: failure.code,
                            message: failure.message,
                        },
                    );
                }
            }
            Command::Recheck { cause, by, done } => {
                self.recheck(cause, by).await;
                let _ = done.send(());
            }
            Command::Withdrew { member, kind, done } => {
                self.withdrawn(&member, kind, None).await;
                let _ = done.send(());
            }
            Command::AttendanceWithdrawn { party, attendee } => {
                self.attendance_withdrawn(party, attendee).await
            }
            Command::PartyAdded { party, by } => self.party_added(party, by).await,
            Command::RecordChanged(part) => {
                let admitted: Vec<MemberId> = self
                    .state
                    .members()
                    .filter(|m| matches!(m.presence, Presence::Admitted { .. }))
                    .map(|m| m.id.clone())
                    .collect();
                for member in admitted {
                    self.send(&member, ServerMessage::RecordChanged { part });
                }
            }
            Command::End { by, done } => {
                self.close(&by).await;
                let _ = done.send(());
            }
            Command::Disconnect { connection } => {
                let Some(member) = self.member_of(connection) else {
                    return;
                };
                self.drop_connection(&member);
                self.state.disconnect(&member, self.registry.0.clock.now());
                self.sync().await;
            }
        }
    }

    fn member_of(&self, connection: ConnectionId) -> Option<MemberId> {
        self.connections
            .iter()
            .find(|(_, c)| c.id == connection)
            .map(|(m, _)| m.clone())
    }

    fn drop_connection(&mut self, member: &MemberId) {
        if self.connections.remove(member).is_some() {
            self.registry.0.metrics.participants.dec();
            if self.connections.is_empty() {
                self.quiet_since = Some(Instant::now());
            }
        }
    }

    async fn connect(
        &mut self,
        joiner: Joiner,
        outbound: mpsc::Sender<Outbound>,
        farewell: oneshot::Sender<Farewell>,
    ) -> Result<ConnectionId, JoinError> {
        // Checked again here, in the session's own order: a right taken away after the door let
        // this joiner through, and before now, keeps them out (its eviction found nobody).
        match self.authority(&joiner.credential).await {
            Ok(Ok(())) => {}
            Ok(Err(lost)) => return Err(JoinError::Unauthorized(lost)),
            Err(err) => {
                tracing::error!(case = %self.case, error = %err, "could not check a joiner's rights");
                return Err(JoinError::Internal);
            }
        }
        let now = self.registry.0.clock.now();
        let before = self.state.clone();
        let events = self
            .state
            .connect(joiner.member.clone(), joiner.name, joiner.kind, now)?;
        if let Err(err) = self.record(&events).await {
            tracing::error!(case = %self.case, error = %err, "could not record a join");
            self.state = before;
            return Err(JoinError::Internal);
        }
        if let Some(old) = self.connections.remove(&joiner.member) {
            let _ = old.tx.try_send(Outbound::Message(ServerMessage::Goodbye {
                reason: GoodbyeReason::Replaced,
                message: "you joined from another window".into(),
                cause: None,
            }));
            let _ = old.tx.try_send(Outbound::Close {
                code: CLOSE_REPLACED,
                reason: "replaced",
            });
            self.registry.0.metrics.participants.dec();
        }
        let id = ConnectionId(self.next_connection);
        self.next_connection += 1;
        self.connections.insert(
            joiner.member.clone(),
            Conn {
                id,
                tx: outbound,
                farewell: Some(farewell),
            },
        );
        self.credentials
            .insert(joiner.member.clone(), joiner.credential);
        self.registry.0.metrics.participants.inc();
        self.quiet_since = None;
        let config = &self.registry.0.config;
        self.send(
            &joiner.member,
            ServerMessage::Welcome {
                protocol: SUBPROTOCOL,
                you: joiner.member.to_string(),
                ice_servers: config.ice_servers.clone(),
                grace_seconds: u32::try_from(config.grace.as_secs()).unwrap_or(u32::MAX),
            },
        );
        if events
            .iter()
            .any(|e| matches!(e, LiveEvent::SessionStarted { .. }))
        {
            self.start_mediation(&joiner.member).await;
        }
        self.sync().await;
        Ok(id)
    }

    /// The first session of an accepted case is where its mediation starts (DOMAIN.md).
    async fn start_mediation(&self, by: &MemberId) {
        let db = &self.registry.0.db;
        let Ok(case) = db.case(self.case).await else {
            return;
        };
        if case.status == CaseStatus::Accepted {
            let now = self.registry.0.clock.now();
            let outcome = db
                .transition_case(self.case, CaseTransition::StartMediation, actor_of(by), now)
                .await;
            if !matches!(outcome, Ok(Ok(_))) {
                tracing::warn!(case = %self.case, "the case could not move to in_mediation");
            }
        }
    }

    async fn message(&mut self, member: &MemberId, message: ClientMessage) -> Result<(), Failure> {
        let now = self.registry.0.clock.now();
        match message {
            ClientMessage::Offer { id, sdp } => {
                if self.state.room_of(member).is_none() {
                    return Err(Refusal::NotAdmitted.into());
                }
                let answer = self.media.offer(peer(member), sdp).await?;
                self.send(member, ServerMessage::Answer { id, sdp: answer });
                return Ok(());
            }
            ClientMessage::Answer { id, sdp } => {
                self.media.answer(peer(member), sdp).await?;
                self.send(member, ServerMessage::Ack { id });
                return Ok(());
            }
            ClientMessage::Candidate { id, candidate } => {
                if self.state.room_of(member).is_none() {
                    return Err(Refusal::NotAdmitted.into());
                }
                self.media.candidate(peer(member), candidate).await?;
                self.send(member, ServerMessage::Ack { id });
                return Ok(());
            }
            ClientMessage::Leave { id, withdraw: true } => {
                self.withdraw(member).await?;
                self.withdrawn(member, ConsentKind::VoluntaryParticipation, Some(id))
                    .await;
                return Ok(());
            }
            ClientMessage::MuteSelf { id, kind, muted } => {
                self.state.set_own_mute(member, kind, muted)?;
                self.send(member, ServerMessage::Ack { id });
                self.sync().await;
                return Ok(());
            }
            _ => {}
        }
        let id = message.id();
        let before = self.state.clone();
        let events = match message {
            ClientMessage::Admit { member: who, .. } => {
                let who = parse_member(&who)?;
                self.check_attendance(&who).await?;
                self.state.admit(member, &who)?
            }
            ClientMessage::Deny {
                member: who,
                reason,
                ..
            } => self
                .state
                .deny(member, &parse_member(&who)?, bounded(&reason))?,
            ClientMessage::CreateRoom { name, .. } => self.state.create_room(member, &name)?.1,
            ClientMessage::Move {
                member: who, room, ..
            } => self
                .state
                .move_member(member, &parse_member(&who)?, RoomId(room))?,
            ClientMessage::ReturnAll { .. } => self.state.return_all(member)?,
            ClientMessage::Lock { locked, .. } => self.state.set_locked(member, locked)?,
            ClientMessage::Mute {
                member: who, kind, ..
            } => self.state.mute(member, &parse_member(&who)?, kind)?,
            ClientMessage::Remove {
                member: who,
                reason,
                ..
            } => self
                .state
                .remove(member, &parse_member(&who)?, bounded(&reason))?,
            ClientMessage::RaiseHand { raised, .. } => self.state.raise_hand(member, raised)?,
            ClientMessage::Chat { text, .. } => self.state.chat(member, &text)?,
            ClientMessage::Leave { .. } => self.state.leave(member)?,
            ClientMessage::EndSession { .. } => self.state.end(member)?,
            ClientMessage::Offer { .. }
            | ClientMessage::Answer { .. }
            | ClientMessage::Candidate { .. }
            | ClientMessage::MuteSelf { .. } => Vec::new(),
        };
        if let Err(err) = self.record(&events).await {
            tracing::error!(case = %self.case, error = %err, "could not record a session event");
            self.state = before;
            return Err(Failure {
                code: "internal",
                message: "the session could not record this; try again".into(),
            });
        }
        self.after(&events, now, Some((member.clone(), id))).await;
        Ok(())
    }

    /// Appends the evidence among `events` to the case's log, keeping chat texts beside it.
    async fn record(&self, events: &[LiveEvent]) -> Result<(), crate::store::StoreError> {
        let records: Vec<(EventActor, CaseEvent)> = events
            .iter()
            .filter_map(|e| to_record(self.session, e))
            .collect();
        if records.is_empty() {
            return Ok(());
        }
        let chat: Vec<ChatMessage> = events
            .iter()
            .filter_map(|e| match e {
                LiveEvent::ChatPosted { member, room, text } => Some(ChatMessage {
                    session: self.session,
                    member: member.to_string(),
                    room: room.0,
                    text: text.clone(),
                    text_sha256: crate::record::commitment::text_sha256(text),
                }),
                _ => None,
            })
            .collect();
        let now = self.registry.0.clock.now();
        self.registry
            .0
            .db
            .append_case_events_with_chat(self.case, &records, &chat, now)
            .await
    }

    /// What follows recorded events: media routing first, then the people concerned. The
    /// request that caused them (if any) is acknowledged once routing and views are up to date,
    /// and before anyone is sent away (a mediator ending the session still hears its ack).
    async fn after(
        &mut self,
        events: &[LiveEvent],
        now: crate::domain::Timestamp,
        request: Option<(MemberId, u64)>,
    ) {
        let mut goodbyes = Vec::new();
        for event in events {
            match event {
                LiveEvent::Denied { member, reason, .. } => {
                    goodbyes.push((member.clone(), GoodbyeReason::Denied, reason.clone()));
                }
                LiveEvent::Removed { member, reason, .. } => {
                    goodbyes.push((member.clone(), GoodbyeReason::Removed, reason.clone()));
                }
                LiveEvent::Left { member } => {
                    goodbyes.push((member.clone(), GoodbyeReason::Left, String::new()));
                }
                LiveEvent::SessionEnded { .. } => {
                    for member in self.connections.keys() {
                        goodbyes.push((member.clone(), GoodbyeReason::Ended, String::new()));
                    }
                    self.finished = true;
                }
                LiveEvent::Muted { member, kind, .. } => {
                    self.send(member, ServerMessage::Muted { kind: *kind });
                }
                _ => {}
            }
        }
        // Gone members lose their media before anyone hears of it.
        for (member, _, _) in &goodbyes {
            self.media.remove_peer(peer(member)).await;
        }
        self.sync().await;
        for event in events {
            if let LiveEvent::ChatPosted { member, room, text } = event {
                self.deliver_chat(member, *room, text, now);
            }
        }
        if let Some((member, id)) = request {
            self.send(&member, ServerMessage::Ack { id });
        }
        for (member, reason, message) in goodbyes {
            let goodbye = ServerMessage::Goodbye {
                reason,
                message,
                cause: None,
            };
            self.send(&member, goodbye);
            let code = match reason {
                GoodbyeReason::Denied | GoodbyeReason::Removed => CLOSE_DENIED,
                GoodbyeReason::Ended => CLOSE_ENDED,
                // A locked session turns people away before they are members (http/live.rs).
                // Evictions take the farewell's own way (actor/eviction.rs).
                GoodbyeReason::Revoked => CLOSE_REVOKED,
                GoodbyeReason::Left
                | GoodbyeReason::Withdrew
                | GoodbyeReason::Replaced
                | GoodbyeReason::Locked => CLOSE_NORMAL,
            };
            if let Some(conn) = self.connections.get(&member) {
                let _ = conn.tx.try_send(Outbound::Close {
                    code,
                    reason: "goodbye",
                });
            }
            self.drop_connection(&member);
        }
    }

    /// Ends the session because the case left mediation: everyone gets the goodbye of an ended
    /// session. A session nobody started (people were only waiting) is no sitting of the
    /// record, so its end is not recorded either (as when it idles out).
    async fn close(&mut self, by: &MemberId) {
        let now = self.registry.0.clock.now();
        let started = self.state.is_started();
        let before = self.state.clone();
        let Ok(events) = self.state.close(by) else {
            return; // already ended
        };
        let evidence = if started { &events[..] } else { &[] };
        if let Err(err) = self.record(evidence).await {
            tracing::error!(case = %self.case, error = %err, "could not record the end");
            self.state = before;
            return;
        }
        self.after(&events, now, None).await;
    }

    /// Records that a participant withdraws from the mediation: their consent to take part
    /// ends (PML 23(2)). Only parties and agents take part in that sense.
    async fn withdraw(&self, member: &MemberId) -> Result<(), Failure> {
        let MemberId::Participant(participant) = member else {
            return Err(Failure {
                code: "not_a_party",
                message: "only a party or an agent can withdraw from the mediation".into(),
            });
        };
        let takes_part = matches!(
            self.state.member(member).map(|m| m.kind),
            Some(MemberKind::Participant(
                ParticipantRole::Party | ParticipantRole::Agent,
                _
            ))
        );
        if !takes_part {
            return Err(Failure {
                code: "not_a_party",
                message: "only a party or an agent can withdraw from the mediation".into(),
            });
        }
        let now = self.registry.0.clock.now();
        match self
            .registry
            .0
            .db
            .withdraw_consent(
                self.case,
                *participant,
                ConsentKind::VoluntaryParticipation,
                now,
            )
            .await
        {
            Ok(()) | Err(crate::store::StoreError::NotFound) => Ok(()),
            Err(err) => {
                tracing::error!(case = %self.case, error = %err, "could not record a withdrawal");
                Err(Failure {
                    code: "internal",
                    message: "the withdrawal could not be recorded; try again".into(),
                })
            }
        }
    }

    /// A participant withdrew from the mediation (PML 23(2)): the mediators are told at once,
    /// whether or not the participant is in the session; if they are, they leave it, lose their
    /// media and get a goodbye.
    async fn withdrawn(&mut self, member: &MemberId, kind: ConsentKind, request: Option<u64>) {
        let before = self.state.clone();
        let events = self.state.leave(member).unwrap_or_default();
        if let Err(err) = self.record(&events).await {
            tracing::error!(case = %self.case, error = %err, "could not record a departure");
            self.state = before;
            return;
        }
        self.media.remove_peer(peer(member)).await;
        self.sync().await;
        let withdrawn = ServerMessage::Withdrawn {
            member: member.to_string(),
            name: self.name_of(member).await,
            kind,
            at: self.registry.0.clock.now().to_rfc3339(),
        };
        self.send_to_mediators(&withdrawn);
        if let Some(id) = request {
            self.send(member, ServerMessage::Ack { id });
        }
        self.send(
            member,
            ServerMessage::Goodbye {
                reason: GoodbyeReason::Withdrew,
                message: String::new(),
                cause: None,
            },
        );
        if let Some(conn) = self.connections.get(member) {
            let _ = conn.tx.try_send(Outbound::Close {
                code: CLOSE_NORMAL,
                reason: "goodbye",
            });
        }
        self.drop_connection(member);
    }

    /// A member's name: as they joined the session, or from the case if they are not in it.
    async fn name_of(&self, member: &MemberId) -> String {
        match self.state.member(member) {
            Some(m) => m.name.clone(),
            None => self.participant_name(member).await,
        }
    }

    /// The name of a participant who is not (or no longer) in the session.
    async fn participant_name(&self, member: &MemberId) -> String {
        let MemberId::Participant(id) = member else {
            return String::new();
        };
        self.registry
            .0
            .db
            .participant(self.case, *id)
            .await
            .map(|p| p.details.name)
            .unwrap_or_default()
    }

    fn deliver_chat(
        &self,
        from: &MemberId,
        room: RoomId,
        text: &str,
        now: crate::domain::Timestamp,
    ) {
        let name = self
            .state
            .member(from)
            .map(|m| m.name.clone())
            .unwrap_or_default();
        for recipient in self.state.chat_recipients(room) {
            self.send(
                &recipient,
                ServerMessage::Chat {
                    from: from.to_string(),
                    name: name.clone(),
                    room: room.0,
                    text: text.to_owned(),
                    at: now.to_rfc3339(),
                },
            );
        }
    }

    /// Brings media in line with the rooms, then tells every connected member their view.
    async fn sync(&mut self) {
        let routing = Routing(
            self.state
                .routing()
                .into_iter()
                .map(|(publisher, subscribers)| {
                    (peer(&publisher), subscribers.iter().map(peer).collect())
                })
                .collect(),
        );
        if routing != self.routing {
            match self.media.set_routing(routing.clone()).await {
                Ok(()) => self.routing = routing,
                Err(err) => tracing::error!(case = %self.case, error = %err, "routing failed"),
            }
        }
        let members: Vec<MemberId> = self.connections.keys().cloned().collect();
        for member in members {
            if let Some(view) = views::state_for(&self.state, &member) {
                self.send(&member, ServerMessage::State(Box::new(view)));
            }
        }
    }

    fn media_event(&mut self, event: MediaEvent) {
        let (target, message) = match event {
            MediaEvent::Candidate { peer, candidate } => {
                (peer, ServerMessage::Candidate { candidate })
            }
            MediaEvent::Offer { peer, sdp } => (peer, ServerMessage::Offer { sdp }),
            MediaEvent::Connected { .. } | MediaEvent::Disconnected { .. } => return,
        };
        if let Some(member) = MemberId::parse(&target.0) {
            self.send(&member, message);
        }
    }

    async fn tick(&mut self) {
        if self.last_recheck.elapsed() >= RECHECK_EVERY {
            self.last_recheck = Instant::now();
            self.recheck(None, None).await;
        }
        let now = self.registry.0.clock.now();
        let grace = i64::try_from(self.registry.0.config.grace.as_millis()).unwrap_or(i64::MAX);
        let before = self.state.clone();
        let events = self.state.expire(now, grace);
        if !events.is_empty() {
            if let Err(err) = self.record(&events).await {
                tracing::error!(case = %self.case, error = %err, "could not record departures");
                self.state = before;
                return;
            }
            self.after(&events, now, None).await;
        }
        let idle = self
            .quiet_since
            .is_some_and(|since| since.elapsed() >= self.registry.0.config.idle_after);
        if idle {
            if self.state.is_started() && !self.state.is_ended() {
                let ended = CaseEvent::SessionEnded {
                    session: self.session,
                    by: None,
                };
                let recorded = self
                    .registry
                    .0
                    .db
                    .append_case_events(self.case, &[(EventActor::System, ended)], now)
                    .await;
                if let Err(err) = recorded {
                    tracing::error!(case = %self.case, error = %err, "could not record the end");
                }
            }
            self.finished = true;
        }
    }

    /// Queues a message for a member's connection. A client so far behind that its queue is full
    /// loses the message; it has stopped reading, and its ping timeout will close it.
    fn send(&self, member: &MemberId, message: ServerMessage) {
        if let Some(conn) = self.connections.get(member) {
            if conn.tx.try_send(Outbound::Message(message)).is_err() {
                tracing::warn!(case = %self.case, "a connection fell behind");
            }
        }
    }

    /// Tells every mediator in the session.
    fn send_to_mediators(&self, message: &ServerMessage) {
        for mediator in self
            .state
            .members()
            .filter(|m| m.kind == MemberKind::Mediator)
        {
            self.send(&mediator.id, message.clone());
        }
    }
}

/// A free-text reason, kept to a sensible length.
fn bounded(reason: &str) -> String {
    reason.trim().chars().take(500).collect()
}
