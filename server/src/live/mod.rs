//! Live sessions: each session in progress is one actor (a task with a mailbox) that owns its
//! participants, rooms and waiting room, and is the only writer of that state. Signalling
//! connections send it commands; it applies them through `domain::live`, records what happened
//! in the case's event log before telling anyone, hands the routing to `media`, and fans the
//! news out.

mod actor;
pub mod authority;
mod metrics;
pub mod protocol;
mod record;
mod views;

pub use metrics::LiveMetrics;

use crate::app::Clock;
use crate::domain::ids::{CaseId, ParticipantId};
use crate::domain::live::{MemberId, MemberKind, Refusal, Revocation};
use crate::domain::session::SessionPolicy;
use crate::media::{MediaConfig, MediaMetrics};
use crate::store::Db;
use authority::{Credential, Lost};
use protocol::{ClientMessage, IceServer, RecordPart, ServerMessage};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Settings of every live session.
#[derive(Debug, Clone)]
pub struct LiveConfig {
    /// How long a dropped connection keeps its member's place.
    pub grace: Duration,
    /// A session nobody is connected to ends after this long.
    pub idle_after: Duration,
    pub ice_servers: Vec<IceServer>,
    pub media: MediaConfig,
    /// The staff's sign-in policy, by which a mediator's place is checked again.
    pub staff_sessions: SessionPolicy,
}

/// Who is joining, as authenticated by the signalling edge.
#[derive(Debug, Clone)]
pub struct Joiner {
    pub member: MemberId,
    pub name: String,
    pub kind: MemberKind,
    /// What they came in with, checked again whenever a right may have been taken away.
    pub credential: Credential,
}

/// What the session sends down one connection.
#[derive(Debug, Clone, PartialEq)]
pub enum Outbound {
    Message(ServerMessage),
    /// Close the WebSocket with this code and reason.
    Close {
        code: u16,
        reason: &'static str,
    },
}

/// The last words to a member who may not stay a moment longer: they overtake whatever is still
/// queued for the connection, which is dropped unsent.
#[derive(Debug)]
pub struct Farewell {
    pub goodbye: ServerMessage,
    pub code: u16,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ConnectionId(u64);

#[derive(Debug)]
enum Command {
    Connect {
        joiner: Joiner,
        outbound: mpsc::Sender<Outbound>,
        farewell: oneshot::Sender<Farewell>,
        reply: oneshot::Sender<Result<ConnectionId, JoinError>>,
    },
    Message {
        connection: ConnectionId,
        message: ClientMessage,
    },
    Disconnect {
        connection: ConnectionId,
    },
    /// A right may have been taken away outside the session (by `by`, if a person): every
    /// member's credential is checked again, and whoever lost theirs is evicted, for `cause`
    /// where the check can only tell that their sign-in is gone. `done` answers when the
    /// evicted have lost their media and messages.
    Recheck {
        cause: Option<Revocation>,
        by: Option<MemberId>,
        done: oneshot::Sender<()>,
    },
    /// A participant withdrew from the mediation from outside the session (their consents
    /// page), by withdrawing consent of `kind`: they are sent away for good.
    Withdrew {
        member: MemberId,
        kind: crate::domain::consent::ConsentKind,
        done: oneshot::Sender<()>,
    },
    /// A party withdrew their consent to an invited participant or observer attending (PML 20,
    /// 23(3)): the attendee may not stay in any room.
    AttendanceWithdrawn {
        party: ParticipantId,
        attendee: ParticipantId,
    },
    /// `by` added a party to the case, who has not consented to anyone attending yet.
    PartyAdded {
        party: ParticipantId,
        by: MemberId,
    },
    /// Tells the admitted members that part of the record changed.
    RecordChanged(RecordPart),
    /// Ends the session from outside it: the case left mediation (a termination, PML 26).
    End {
        by: MemberId,
        done: oneshot::Sender<()>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The joiner's rights lapsed between the door and the session.
    #[error("you may no longer be in this session")]
    Unauthorized(Lost),
    #[error("the session could not record the join")]
    Internal,
}

/// One member's connection to a session, as the signalling edge holds it.
#[derive(Debug)]
pub struct Connection {
    id: ConnectionId,
    session: mpsc::Sender<Command>,
    pub outbound: mpsc::Receiver<Outbound>,
    /// Fires when the member is evicted: send it, close, and drop what `outbound` still holds.
    pub farewell: oneshot::Receiver<Farewell>,
}

impl Connection {
    /// Passes a client message to the session.
    pub async fn send(&self, message: ClientMessage) {
        let _ = self
            .session
            .send(Command::Message {
                connection: self.id,
                message,
            })
            .await;
    }

    /// Tells the session this connection is gone (a network drop, or a close).
    pub async fn disconnected(&self) {
        let _ = self
            .session
            .send(Command::Disconnect {
                connection: self.id,
            })
            .await;
    }
}

/// The live sessions of this server, one per case at most.
#[derive(Debug, Clone)]
pub struct LiveRegistry(Arc<Shared>);

#[derive(Debug)]
struct Shared {
    sessions: Mutex<HashMap<CaseId, (u64, mpsc::Sender<Command>)>>,
    next_generation: std::sync::atomic::AtomicU64,
    db: Db,
    clock: Clock,
    config: LiveConfig,
    media_metrics: MediaMetrics,
    metrics: LiveMetrics,
}

/// Sends a session a command that answers when it is done, and waits for that. A session that
/// has already finished has nothing left to do.
async fn ask(
    session: &mpsc::Sender<Command>,
    command: impl FnOnce(oneshot::Sender<()>) -> Command,
) {
    let (done, finished) = oneshot::channel();
    if session.send(command(done)).await.is_ok() {
        let _ = finished.await;
    }
}

/// Messages a session's mailbox holds before senders wait.
const MAILBOX: usize = 256;
/// Messages a connection's outbound queue holds; a client this far behind is cut off.
const OUTBOUND: usize = 256;

impl LiveRegistry {
    pub fn new(
        db: Db,
        clock: Clock,
        config: LiveConfig,
        media_metrics: MediaMetrics,
        metrics: LiveMetrics,
    ) -> Self {
        Self(Arc::new(Shared {
            sessions: Mutex::new(HashMap::new()),
            next_generation: std::sync::atomic::AtomicU64::new(1),
            db,
            clock,
            config,
            media_metrics,
            metrics,
        }))
    }

    pub fn config(&self) -> &LiveConfig {
        &self.0.config
    }

    /// The mailbox of the case's session, starting one if none runs.
    fn session(&self, case: CaseId) -> mpsc::Sender<Command> {
        let mut sessions = self
            .0
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, tx)) = sessions.get(&case) {
            if !tx.is_closed() {
                return tx.clone();
            }
        }
        let generation = self
            .0
            .next_generation
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (tx, rx) = mpsc::channel(MAILBOX);
        sessions.insert(case, (generation, tx.clone()));
        actor::spawn(self.clone(), case, generation, rx);
        tx
    }

    /// Forgets a session that has finished, unless a newer one already took its place.
    fn finished(&self, case: CaseId, generation: u64) {
        let mut sessions = self
            .0
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if sessions.get(&case).is_some_and(|(g, _)| *g == generation) {
            sessions.remove(&case);
        }
    }

    /// Joins the case's live session.
    pub async fn connect(&self, case: CaseId, joiner: Joiner) -> Result<Connection, JoinError> {
        // A session that just ended refuses once; the second attempt starts a new sitting.
        for _ in 0..2 {
            let session = self.session(case);
            let (outbound_tx, outbound) = mpsc::channel(OUTBOUND);
            let (farewell_tx, farewell) = oneshot::channel();
            let (reply, answer) = oneshot::channel();
            let command = Command::Connect {
                joiner: joiner.clone(),
                outbound: outbound_tx,
                farewell: farewell_tx,
                reply,
            };
            if session.send(command).await.is_err() {
                continue;
            }
            match answer.await {
                Ok(Ok(id)) => {
                    return Ok(Connection {
                        id,
                        session,
                        outbound,
                        farewell,
                    })
                }
                Ok(Err(JoinError::Refused(Refusal::Ended))) | Err(_) => {
                    let mut sessions = self
                        .0
                        .sessions
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner);
                    if sessions
                        .get(&case)
                        .is_some_and(|(_, tx)| tx.same_channel(&session))
                    {
                        sessions.remove(&case);
                    }
                }
                Ok(Err(other)) => return Err(other),
            }
        }
        Err(JoinError::Refused(Refusal::Ended))
    }

    /// A participant withdrew from the mediation by withdrawing consent of `kind`: if the case's
    /// live session runs, they are sent out of it and its mediators are told.
    pub async fn withdrawn(
        &self,
        case: CaseId,
        member: MemberId,
        kind: crate::domain::consent::ConsentKind,
    ) {
        if let Some(session) = self.session_of(case) {
            ask(&session, |done| Command::Withdrew { member, kind, done }).await;
        }
    }

    /// `party` withdrew their consent to `attendee` attending the case's mediation (PML 20,
    /// 23(3)): if its live session runs, the attendee goes back to its waiting room at once and
    /// its mediators are told who withdrew consent to whom.
    pub async fn attendance_withdrawn(
        &self,
        case: CaseId,
        party: ParticipantId,
        attendee: ParticipantId,
    ) {
        if let Some(session) = self.session_of(case) {
            let command = Command::AttendanceWithdrawn { party, attendee };
            let _ = session.send(command).await;
        }
    }

    /// `by` added `party` to the case: if its live session runs, its invited participants and
    /// observers leave the rooms until that party consents to them too (PML 20, 23(3)).
    pub async fn party_added(&self, case: CaseId, party: ParticipantId, by: MemberId) {
        if let Some(session) = self.session_of(case) {
            let _ = session.send(Command::PartyAdded { party, by }).await;
        }
    }

    /// Part of a case's record changed: if its live session runs, the members admitted to it
    /// are told, to fetch it again.
    pub async fn record_changed(&self, case: CaseId, part: RecordPart) {
        if let Some(session) = self.session_of(case) {
            let _ = session.send(Command::RecordChanged(part)).await;
        }
    }

    /// The case's mediation was terminated by `by` (PML 26): if its live session runs, it ends
    /// for everyone, as if a mediator had ended it, and nobody can come back (the case is no
    /// longer in mediation).
    pub async fn end(&self, case: CaseId, by: MemberId) {
        if let Some(session) = self.session_of(case) {
            ask(&session, |done| Command::End { by, done }).await;
        }
    }

    /// The one way a right taken away reaches a live session: call it after the change is
    /// committed. If the case's session runs, each member's credential is checked again, and
    /// whoever no longer holds theirs is evicted: their media gate shuts first, then the
    /// eviction is recorded (`by` as its actor, the server's if `None`) and they get a goodbye
    /// naming `cause` and the close code 4401. Returns once that is done, so that nothing of
    /// the session reaches them after the caller answers.
    pub async fn revoked(&self, case: CaseId, cause: Revocation, by: Option<MemberId>) {
        if let Some(session) = self.session_of(case) {
            ask(&session, |done| Command::Recheck {
                cause: Some(cause),
                by,
                done,
            })
            .await;
        }
    }

    /// [`LiveRegistry::revoked`] in every running session: an account disabled or signed out
    /// everywhere may be in any of them.
    pub async fn revoked_everywhere(&self, cause: Revocation, by: Option<MemberId>) {
        let sessions: Vec<mpsc::Sender<Command>> = self
            .0
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .values()
            .map(|(_, tx)| tx.clone())
            .collect();
        for session in sessions {
            let by = by.clone();
            ask(&session, |done| Command::Recheck {
                cause: Some(cause),
                by,
                done,
            })
            .await;
        }
    }

    fn session_of(&self, case: CaseId) -> Option<mpsc::Sender<Command>> {
        self.0
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(&case)
            .map(|(_, tx)| tx.clone())
    }

    /// How many sessions run now.
    pub fn running(&self) -> usize {
        self.0
            .sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .len()
    }
}
