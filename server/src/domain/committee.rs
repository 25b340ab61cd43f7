//! People's mediation committees (人民调解委员会): the organisation that owns cases, mediators, the
//! seal and the archive.

use super::labels::labelled_enum;
use super::{bounded_text, Invalid};

labelled_enum! {
    /// The kinds of committee the Ministry of Justice's statistics distinguish.
    pub enum CommitteeKind {
        /// 街道/乡镇人民调解委员会
        StreetTown = "street_town",
        /// 村/社区人民调解委员会
        VillageCommunity = "village_community",
        /// 行业性、专业性人民调解委员会 (medical, labour, IP, ...)
        IndustryProfessional = "industry_professional",
        /// 驻法院人民调解委员会 (court-annexed, pre-litigation)
        CourtAnnexed = "court_annexed",
    }
}

impl CommitteeKind {
    /// The kind as printed in reports; the web client's dictionaries say the same.
    pub fn label(self, language: super::staff::Language) -> &'static str {
        let (zh, en) = match self {
            Self::StreetTown => ("街道/乡镇人民调解委员会", "Street or township committee"),
            Self::VillageCommunity => ("村/社区人民调解委员会", "Village or community committee"),
            Self::IndustryProfessional => (
                "行业性/专业性人民调解委员会",
                "Industry or professional committee",
            ),
            Self::CourtAnnexed => ("驻法院人民调解委员会", "Court-annexed committee"),
        };
        match language {
            super::staff::Language::ZhCn => zh,
            super::staff::Language::En => en,
        }
    }
}

/// A committee as registered, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCommittee {
    pub name: String,
    pub kind: CommitteeKind,
    pub region: String,
}

impl NewCommittee {
    pub fn parse(name: &str, kind: CommitteeKind, region: &str) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let name = invalid.take("name", bounded_text(name, 2, 100));
        let region = invalid.take("region", bounded_text(region, 2, 100));
        match (name, region) {
            (Some(name), Some(region)) if invalid.is_empty() => Ok(Self { name, kind, region }),
            _ => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_label() {
        for kind in CommitteeKind::ALL {
            assert_eq!(CommitteeKind::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(CommitteeKind::parse("county"), None);
    }

    #[test]
    fn reports_every_bad_field() {
        let err = NewCommittee::parse(" ", CommitteeKind::StreetTown, "").unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "region"]);
    }
}
