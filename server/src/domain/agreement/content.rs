//! What an agreement says (PML 29): each party's details; the facts, the issues and each
//! party's responsibility; the terms, each with how and by when it is performed.

use crate::domain::ids::ParticipantId;
use crate::domain::labels::labelled_enum;
use crate::domain::{bounded_text, optional_text, Invalid};
use serde::{Deserialize, Serialize};

labelled_enum! {
    pub enum Sex {
        Female = "female",
        Male = "male",
    }
}

/// PML 29(1): 当事人的基本情况.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyDetails {
    #[schema(value_type = uuid::Uuid)]
    pub participant: ParticipantId,
    pub name: String,
    pub sex: Option<Sex>,
    pub age: Option<u16>,
    pub ethnicity: Option<String>,
    pub occupation: Option<String>,
    pub address: Option<String>,
    pub contact: Option<String>,
}

/// PML 29(3): one term agreed, with the manner and deadline of its performance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Term {
    pub text: String,
    /// Who performs it, when it is one party's obligation.
    #[schema(value_type = Option<uuid::Uuid>)]
    pub obligor: Option<ParticipantId>,
    /// How it is performed (e.g. "bank transfer to the applicant's account").
    pub manner: String,
    /// By when, as a calendar date `YYYY-MM-DD`.
    pub deadline: Option<String>,
    /// A sum of money, in fen.
    pub amount_fen: Option<i64>,
}

/// The whole text of an agreement version, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementContent {
    pub parties: Vec<PartyDetails>,
    /// PML 29(2): 纠纷的主要事实.
    pub facts: String,
    /// PML 29(2): 争议事项.
    pub issues: String,
    /// PML 29(2): 各方当事人的责任.
    pub responsibilities: String,
    pub terms: Vec<Term>,
    /// ESL 3: the dispute concerns marriage, adoption, inheritance or another personal
    /// relationship, so electronic signatures do not apply.
    pub personal_relationship: bool,
}

/// `YYYY-MM-DD`, a real calendar date.
fn check_date(raw: &str) -> Result<String, Invalid> {
    crate::domain::parse_day(raw).map(|_| raw.trim().to_owned())
}

impl AgreementContent {
    /// Checks every field, naming each bad one (`terms.2.manner`, ...). `known_parties` are the
    /// case's parties: the agreement names each of them and no one else.
    pub fn check(self, known_parties: &[ParticipantId]) -> Result<AgreementContent, Invalid> {
        let mut invalid = Invalid::default();
        let mut named = Vec::new();
        for (i, party) in self.parties.iter().enumerate() {
            let at = format!("parties.{i}");
            if !known_parties.contains(&party.participant) {
                invalid.push(format!("{at}.participant"), "is not a party of this case");
            }
            if named.contains(&party.participant) {
                invalid.push(format!("{at}.participant"), "is named twice");
            }
            named.push(party.participant);
            invalid.take(&format!("{at}.name"), bounded_text(&party.name, 1, 100));
            if party.age.is_some_and(|age| age > 150) {
                invalid.push(format!("{at}.age"), "is not a plausible age");
            }
            for (field, value, max) in [
                ("ethnicity", &party.ethnicity, 20),
                ("occupation", &party.occupation, 100),
                ("address", &party.address, 300),
                ("contact", &party.contact, 100),
            ] {
                invalid.take(
                    &format!("{at}.{field}"),
                    optional_text(value.as_deref(), max),
                );
            }
        }
        if let Some(missing) = known_parties.iter().find(|p| !named.contains(p)) {
            invalid.push(
                "parties",
                format!("must name every party ({missing} is missing)"),
            );
        }
        invalid.take("facts", bounded_text(&self.facts, 1, 10_000));
        invalid.take("issues", bounded_text(&self.issues, 1, 10_000));
        invalid.take(
            "responsibilities",
            bounded_text(&self.responsibilities, 1, 10_000),
        );
        if self.terms.is_empty() {
            invalid.push("terms", "an agreement needs at least one term");
        }
        for (i, term) in self.terms.iter().enumerate() {
            let at = format!("terms.{i}");
            invalid.take(&format!("{at}.text"), bounded_text(&term.text, 1, 4000));
            invalid.take(&format!("{at}.manner"), bounded_text(&term.manner, 1, 1000));
            if let Some(deadline) = &term.deadline {
                invalid.take(&format!("{at}.deadline"), check_date(deadline));
            }
            if let Some(obligor) = term.obligor {
                if !known_parties.contains(&obligor) {
                    invalid.push(format!("{at}.obligor"), "is not a party of this case");
                }
            }
            if let Some(fen) = term.amount_fen {
                invalid.take(
                    &format!("{at}.amount_fen"),
                    crate::domain::case::AmountFen::parse(fen),
                );
            }
        }
        invalid.finish(|| self.trimmed())
    }

    fn trimmed(self) -> AgreementContent {
        let trim = |s: String| s.trim().to_owned();
        let opt = |s: Option<String>| s.map(trim).filter(|s| !s.is_empty());
        AgreementContent {
            parties: self
                .parties
                .into_iter()
                .map(|p| PartyDetails {
                    name: trim(p.name),
                    ethnicity: opt(p.ethnicity),
                    occupation: opt(p.occupation),
                    address: opt(p.address),
                    contact: opt(p.contact),
                    ..p
                })
                .collect(),
            facts: trim(self.facts),
            issues: trim(self.issues),
            responsibilities: trim(self.responsibilities),
            terms: self
                .terms
                .into_iter()
                .map(|t| Term {
                    text: trim(t.text),
                    manner: trim(t.manner),
                    deadline: t.deadline.map(trim),
                    ..t
                })
                .collect(),
            personal_relationship: self.personal_relationship,
        }
    }
}
