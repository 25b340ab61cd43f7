//! Supervision (监督): judicial bureau staff follow the progress of the committees of their
//! region (DOMAIN.md "Who uses it"). They read figures and where each case stands, never what was
//! said in it: no names, no facts, no record. They belong to no committee, so they are not an
//! [`super::permissions::Actor`] and no committee or participant endpoint ever admits them.

use super::case::{CaseSource, CaseStatus, DisputeType};
use super::ids::SupervisorId;
use super::staff::{check_password, Username};
use super::statistics::CaseFacts;
use super::{bounded_text, Invalid};
use time::{Date, Month};

/// A signed-in supervisor and the region they follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisorActor {
    pub supervisor_id: SupervisorId,
    pub region: String,
}

impl SupervisorActor {
    /// Does this supervisor's region cover a committee registered in `committee_region`?
    /// Regions are written from the largest division down (北京市朝阳区), so a region covers
    /// every committee whose region begins with it: 北京市 covers 北京市朝阳区 and 北京市海淀区.
    pub fn covers(&self, committee_region: &str) -> bool {
        committee_region.trim().starts_with(self.region.as_str())
    }
}

/// A supervisor's account as the operator creates it, checked. The password is checked here but
/// hashed by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSupervisor {
    pub username: Username,
    pub display_name: String,
    pub region: String,
}

impl NewSupervisor {
    pub fn parse(
        username: &str,
        display_name: &str,
        region: &str,
        password: &str,
    ) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let username = invalid.take("username", Username::parse(username));
        let display_name = invalid.take("display_name", bounded_text(display_name, 1, 60));
        // The same bounds as a committee's region, which it is compared with.
        let region = invalid.take("region", bounded_text(region, 2, 100));
        invalid.take("password", check_password(password));
        match (username, display_name, region) {
            (Some(username), Some(display_name), Some(region)) if invalid.is_empty() => Ok(Self {
                username,
                display_name,
                region,
            }),
            _ => Err(invalid),
        }
    }
}

/// Where one case stands, as a supervisor may see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Progress {
    /// The day the mediation ended: its agreement took effect, or it was terminated.
    pub concluded_on: Option<Date>,
    /// Days from acceptance to conclusion, or to `today` while it goes on.
    pub days_in_mediation: Option<i64>,
    /// The mediation took, or is taking, longer than the month it should normally take
    /// (Ministry of Justice rules on people's mediation, 2002, art. 33).
    pub beyond_one_month: bool,
}

/// The same day one month later, or the month's last day when it has no such day (31 January
/// → 28 or 29 February).
fn one_month_after(day: Date) -> Date {
    let (year, month) = match day.month() {
        Month::December => (day.year() + 1, Month::January),
        month => (day.year(), month.next()),
    };
    let last = month.length(year);
    Date::from_calendar_date(year, month, day.day().min(last)).unwrap_or(day)
}

/// Where a case stands on `today`, from the facts the statistics count.
pub fn progress(status: CaseStatus, facts: &CaseFacts, today: Date) -> Progress {
    let concluded_on = facts.effective_on.or(facts.terminated_on);
    let open = matches!(
        status,
        CaseStatus::Accepted | CaseStatus::InMediation | CaseStatus::Agreed
    );
    let until = concluded_on.or(open.then_some(today));
    let (days_in_mediation, beyond_one_month) = match (facts.accepted_on, until) {
        (Some(accepted), Some(until)) => (
            Some((until - accepted).whole_days()),
            until > one_month_after(accepted),
        ),
        _ => (None, false),
    };
    Progress {
        concluded_on,
        days_in_mediation,
        beyond_one_month,
    }
}

/// One case in a supervisor's list: its number, kind and progress, nothing said in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseOverview {
    pub number: String,
    pub dispute_type: DisputeType,
    pub source: CaseSource,
    pub status: CaseStatus,
    pub registered_on: Date,
    pub accepted_on: Option<Date>,
    pub progress: Progress,
    pub judicially_confirmed: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn supervisor(region: &str) -> SupervisorActor {
        SupervisorActor {
            supervisor_id: SupervisorId::from_uuid(uuid::Uuid::nil()),
            region: region.into(),
        }
    }

    #[test]
    fn a_region_covers_the_divisions_within_it() {
        let city = supervisor("北京市");
        assert!(city.covers("北京市朝阳区"));
        assert!(city.covers("北京市"));
        assert!(!city.covers("天津市和平区"));
        let district = supervisor("北京市朝阳区");
        assert!(district.covers("北京市朝阳区"));
        assert!(!district.covers("北京市海淀区"));
        assert!(
            !district.covers("北京市"),
            "a district does not see its city"
        );
    }

    #[test]
    fn a_month_ends_on_the_same_day_or_the_last_one() {
        assert_eq!(
            one_month_after(date!(2026 - 03 - 15)),
            date!(2026 - 04 - 15)
        );
        assert_eq!(
            one_month_after(date!(2026 - 01 - 31)),
            date!(2026 - 02 - 28)
        );
        assert_eq!(
            one_month_after(date!(2028 - 01 - 31)),
            date!(2028 - 02 - 29)
        );
        assert_eq!(
            one_month_after(date!(2026 - 12 - 20)),
            date!(2027 - 01 - 20)
        );
    }

    fn facts(accepted_on: Option<Date>) -> CaseFacts {
        CaseFacts {
            dispute_type: DisputeType::Neighbour,
            source: CaseSource::PartyApplication,
            amount_fen: None,
            difficult: false,
            prevented: Default::default(),
            accepted_on,
            effective_on: None,
            terminated_on: None,
            judicially_confirmed: false,
            visits: Vec::new(),
        }
    }

    #[test]
    fn an_open_mediation_counts_its_days_to_today() {
        let case = facts(Some(date!(2026 - 03 - 01)));
        let on_time = progress(CaseStatus::InMediation, &case, date!(2026 - 04 - 01));
        assert_eq!(on_time.days_in_mediation, Some(31));
        assert!(!on_time.beyond_one_month, "one month to the day is on time");
        let late = progress(CaseStatus::InMediation, &case, date!(2026 - 04 - 02));
        assert!(late.beyond_one_month);
        assert_eq!(late.concluded_on, None);
    }

    #[test]
    fn a_concluded_mediation_counts_its_days_to_its_end() {
        let mut agreed = facts(Some(date!(2026 - 03 - 01)));
        agreed.effective_on = Some(date!(2026 - 03 - 11));
        let done = progress(CaseStatus::Effective, &agreed, date!(2026 - 09 - 01));
        assert_eq!(done.concluded_on, Some(date!(2026 - 03 - 11)));
        assert_eq!(done.days_in_mediation, Some(10));
        assert!(!done.beyond_one_month);
        let mut slow = facts(Some(date!(2026 - 03 - 01)));
        slow.terminated_on = Some(date!(2026 - 05 - 01));
        let ended = progress(CaseStatus::Archived, &slow, date!(2026 - 09 - 01));
        assert_eq!(ended.days_in_mediation, Some(61));
        assert!(ended.beyond_one_month);
    }

    #[test]
    fn a_case_not_accepted_has_no_days() {
        let waiting = progress(CaseStatus::Registered, &facts(None), date!(2026 - 09 - 01));
        assert_eq!(waiting.days_in_mediation, None);
        assert!(!waiting.beyond_one_month);
        let refused = progress(CaseStatus::Refused, &facts(None), date!(2026 - 09 - 01));
        assert_eq!(refused.days_in_mediation, None);
    }

    #[test]
    fn a_new_supervisor_names_each_bad_field() {
        let err = NewSupervisor::parse("x", "", "京", "short").unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "display_name", "region", "password"]);
        let ok = NewSupervisor::parse("Zhao.Jian", "赵建", " 北京市朝阳区 ", "long enough pass")
            .unwrap();
        assert_eq!(ok.region, "北京市朝阳区");
    }
}
