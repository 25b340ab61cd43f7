//! The actor's part in rights that lapse mid-session. A member's place rests on the credential
//! they came in with; it is checked again when the session takes their connection, whenever a
//! change made elsewhere may have taken a right away (the API handler that made it asks, and
//! waits), and every few seconds in case the change came from outside this server (an
//! operator's `accord admin disable-user`, say). Whoever no longer holds theirs is evicted:
//! media gate first, then the record, then the goodbye that overtakes anything still queued.

use super::{peer, Actor, CLOSE_REVOKED};
use crate::domain::live::{MemberId, Presence, Revocation};
use crate::live::authority::{self, Credential, Lost, Stage};
use crate::live::protocol::{GoodbyeReason, ServerMessage};
use crate::live::Farewell;

impl Actor {
    /// Whether the holder of `credential` may be in this session now.
    pub(super) async fn authority(
        &self,
        credential: &Credential,
    ) -> Result<Result<(), Lost>, crate::store::StoreError> {
        let shared = &self.registry.0;
        let verdict = authority::check(
            &shared.db,
            shared.config.staff_sessions,
            shared.clock.now(),
            self.case,
            credential,
            Stage::Staying,
        )
        .await?;
        Ok(verdict.map(|_| ()))
    }

    /// Checks every present member's credential again and evicts whoever lost theirs. A sign-in
    /// that is simply gone is attributed to `cause` when the caller knows what ended it (a
    /// removal, a revoked invitation, a disabled account); `by` is who did it. A check that
    /// cannot be made (the database is unreachable) evicts nobody: it is made again shortly.
    pub(super) async fn recheck(&mut self, cause: Option<Revocation>, by: Option<MemberId>) {
        let present: Vec<(MemberId, Credential)> = self
            .state
            .members()
            .filter(|m| {
                matches!(
                    m.presence,
                    Presence::Admitted { .. } | Presence::Waiting { .. }
                )
            })
            .filter_map(|m| {
                let credential = self.credentials.get(&m.id)?;
                Some((m.id.clone(), credential.clone()))
            })
            .collect();
        for (member, credential) in present {
            match self.authority(&credential).await {
                Ok(Ok(())) => {}
                Ok(Err(lost)) => {
                    let cause = match (&lost, cause) {
                        (Lost::SignedOut, Some(known)) => known,
                        _ => lost.cause(),
                    };
                    self.evict(&member, cause, by.clone()).await;
                }
                Err(err) => {
                    tracing::warn!(case = %self.case, error = %err, "could not check a member's rights");
                }
            }
        }
    }

    /// Takes `member` out of the session for `cause`: their media stops before anything else,
    /// the eviction is recorded, the mediators are told, and the member gets a goodbye that
    /// overtakes whatever is still queued for them. The right is gone whatever happens, so a
    /// record that cannot be written is logged, not a reason to keep them.
    async fn evict(&mut self, member: &MemberId, cause: Revocation, by: Option<MemberId>) {
        let name = self.name_of(member).await;
        let events = self.state.evict(member, cause, by);
        self.media.remove_peer(peer(member)).await;
        self.sync().await;
        if let Err(err) = self.record(&events).await {
            tracing::error!(case = %self.case, error = %err, "could not record an eviction");
        }
        self.credentials.remove(member);
        if !events.is_empty() {
            let evicted = ServerMessage::Evicted {
                member: member.to_string(),
                name,
                cause,
                at: self.registry.0.clock.now().to_rfc3339(),
            };
            self.send_to_mediators(&evicted);
        }
        let farewell = self
            .connections
            .get_mut(member)
            .and_then(|conn| conn.farewell.take());
        if let Some(farewell) = farewell {
            let _ = farewell.send(Farewell {
                goodbye: ServerMessage::Goodbye {
                    reason: GoodbyeReason::Revoked,
                    message: String::new(),
                    cause: Some(cause),
                },
                code: CLOSE_REVOKED,
            });
        }
        self.drop_connection(member);
        tracing::info!(case = %self.case, cause = cause.as_str(), "member evicted");
    }
}
