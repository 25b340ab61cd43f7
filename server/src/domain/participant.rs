//! The people of a case other than staff: the parties and those who come with them. None has an
//! account; each joins through an invitation link issued to them alone.

use super::ids::ParticipantId;
use super::labels::labelled_enum;
use super::{bounded_text, optional_text, Invalid};

labelled_enum! {
    /// How a mediator checked a participant's identity (OMR 17).
    pub enum IdentityMethod {
        /// An identity document shown on camera, compared with the face.
        DocumentOnCamera = "document_on_camera",
        /// In person, at the committee.
        InPerson = "in_person",
    }
}

labelled_enum! {
    pub enum ParticipantRole {
        /// 当事人: applicant or respondent.
        Party = "party",
        /// 代理人: represents one party with a power of attorney.
        Agent = "agent",
        /// 邀请参与人: a relative, neighbour, colleague or expert, only with the parties' consent (PML 20).
        Invited = "invited",
        /// 旁听人: only in a public session and only if no party objects (PML 23(3)).
        Observer = "observer",
        Interpreter = "interpreter",
    }
}

labelled_enum! {
    pub enum Side {
        /// 申请人
        Applicant = "applicant",
        /// 被申请人
        Respondent = "respondent",
    }
}

labelled_enum! {
    pub enum PersonKind {
        /// 自然人
        Natural = "natural",
        /// 法人或其他组织
        Legal = "legal",
    }
}

impl ParticipantRole {
    /// Parties and their agents see what the dispute is about; invited participants, observers
    /// and interpreters come for the session and are shown only whom they will meet.
    pub fn sees_case_summary(self) -> bool {
        matches!(self, ParticipantRole::Party | ParticipantRole::Agent)
    }
}

/// Where a participant stands in the case, with exactly the facts each role needs: a party has a
/// side and a person kind; an agent names the party they represent; the others have neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Party { side: Side, person_kind: PersonKind },
    Agent { represents: ParticipantId },
    Invited,
    Observer,
    Interpreter,
}

impl Standing {
    pub fn role(self) -> ParticipantRole {
        match self {
            Standing::Party { .. } => ParticipantRole::Party,
            Standing::Agent { .. } => ParticipantRole::Agent,
            Standing::Invited => ParticipantRole::Invited,
            Standing::Observer => ParticipantRole::Observer,
            Standing::Interpreter => ParticipantRole::Interpreter,
        }
    }

    /// Builds the standing from the loose fields of a request, naming the field that is missing or
    /// does not belong to the role.
    pub fn parse(
        role: ParticipantRole,
        side: Option<Side>,
        person_kind: Option<PersonKind>,
        represents: Option<ParticipantId>,
    ) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let mut refuse = |field: &str, present: bool| {
            if present {
                invalid.push(field, format!("does not apply to the role {role}"));
            }
        };
        let standing = match role {
            ParticipantRole::Party => {
                refuse("represents", represents.is_some());
                match (side, person_kind) {
                    (Some(side), Some(person_kind)) => Some(Standing::Party { side, person_kind }),
                    _ => {
                        if side.is_none() {
                            invalid.push("side", "is required for a party");
                        }
                        if person_kind.is_none() {
                            invalid.push("person_kind", "is required for a party");
                        }
                        None
                    }
                }
            }
            ParticipantRole::Agent => {
                refuse("side", side.is_some());
                refuse("person_kind", person_kind.is_some());
                match represents {
                    Some(represents) => Some(Standing::Agent { represents }),
                    None => {
                        invalid.push("represents", "is required for an agent");
                        None
                    }
                }
            }
            other => {
                refuse("side", side.is_some());
                refuse("person_kind", person_kind.is_some());
                refuse("represents", represents.is_some());
                Some(match other {
                    ParticipantRole::Invited => Standing::Invited,
                    ParticipantRole::Observer => Standing::Observer,
                    _ => Standing::Interpreter,
                })
            }
        };
        match standing {
            Some(standing) if invalid.is_empty() => Ok(standing),
            _ => Err(invalid),
        }
    }

    pub fn side(self) -> Option<Side> {
        match self {
            Standing::Party { side, .. } => Some(side),
            _ => None,
        }
    }

    pub fn person_kind(self) -> Option<PersonKind> {
        match self {
            Standing::Party { person_kind, .. } => Some(person_kind),
            _ => None,
        }
    }

    pub fn represents(self) -> Option<ParticipantId> {
        match self {
            Standing::Agent { represents } => Some(represents),
            _ => None,
        }
    }
}

/// A participant's details as a mediator enters them, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParticipantDetails {
    pub standing: Standing,
    pub name: String,
    /// Phone or e-mail, for the mediator only.
    pub contact: Option<String>,
    /// 送达地址: where documents are served.
    pub service_address: Option<String>,
}

impl ParticipantDetails {
    pub fn parse(
        standing: Result<Standing, Invalid>,
        name: &str,
        contact: Option<&str>,
        service_address: Option<&str>,
    ) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let standing = invalid.take("", standing);
        let name = invalid.take("name", bounded_text(name, 1, 100));
        let contact = invalid.take("contact", optional_text(contact, 100));
        let service_address = invalid.take("service_address", optional_text(service_address, 300));
        match (standing, name, contact, service_address) {
            (Some(standing), Some(name), Some(contact), Some(service_address))
                if invalid.is_empty() =>
            {
                Ok(Self {
                    standing,
                    name,
                    contact,
                    service_address,
                })
            }
            _ => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(err: Invalid) -> Vec<String> {
        err.0.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn a_party_needs_a_side_and_a_person_kind() {
        let err = Standing::parse(ParticipantRole::Party, None, None, None).unwrap_err();
        assert_eq!(fields(err), ["side", "person_kind"]);
        let party = Standing::parse(
            ParticipantRole::Party,
            Some(Side::Respondent),
            Some(PersonKind::Legal),
            None,
        )
        .unwrap();
        assert_eq!(party.side(), Some(Side::Respondent));
        assert_eq!(party.role(), ParticipantRole::Party);
    }

    #[test]
    fn an_agent_names_whom_they_represent_and_nothing_else() {
        let party = ParticipantId::from_uuid(uuid::Uuid::nil());
        let agent = Standing::parse(ParticipantRole::Agent, None, None, Some(party)).unwrap();
        assert_eq!(agent.represents(), Some(party));
        let err =
            Standing::parse(ParticipantRole::Agent, Some(Side::Applicant), None, None).unwrap_err();
        assert_eq!(fields(err), ["side", "represents"]);
    }

    #[test]
    fn others_carry_no_side() {
        for role in [
            ParticipantRole::Invited,
            ParticipantRole::Observer,
            ParticipantRole::Interpreter,
        ] {
            assert_eq!(
                Standing::parse(role, None, None, None).unwrap().role(),
                role
            );
            assert!(Standing::parse(role, Some(Side::Applicant), None, None).is_err());
        }
    }

    #[test]
    fn details_check_name_and_lengths() {
        let standing = Ok(Standing::Observer);
        let long = "地".repeat(301);
        let err = ParticipantDetails::parse(standing, " ", None, Some(&long)).unwrap_err();
        assert_eq!(fields(err), ["name", "service_address"]);
    }
}
