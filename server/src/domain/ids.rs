//! Typed ids, so that a case id can never be passed where a user id is expected.
//!
//! Ids are UUIDs: they appear in URLs, and sequential numbers would tell an outsider how many cases
//! a committee has. Callers make new ones (`Uuid::now_v7()`); the domain only parses and compares.

use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            pub const fn from_uuid(id: Uuid) -> Self {
                Self(id)
            }

            pub fn parse(raw: &str) -> Option<Self> {
                Uuid::parse_str(raw).ok().map(Self)
            }

            pub const fn uuid(self) -> Uuid {
                self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

typed_id!(
    /// A people's mediation committee.
    CommitteeId
);
typed_id!(
    /// A staff account: committee admin or mediator.
    UserId
);
typed_id!(
    /// A dispute registered with a committee.
    CaseId
);
typed_id!(
    /// A party or other participant of one case.
    ParticipantId
);
typed_id!(
    /// An invitation link issued to one participant.
    InvitationId
);
typed_id!(
    /// One item of a case's agenda.
    AgendaItemId
);
typed_id!(
    /// A supervisor's account: judicial bureau staff who follow a region's committees.
    SupervisorId
);
