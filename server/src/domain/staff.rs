//! Staff accounts: the committee's admins (管理员) and mediators (调解员).

use super::labels::labelled_enum;
use super::{bounded_text, Invalid};

labelled_enum! {
    pub enum StaffRole {
        /// Manages the committee's mediators, archives dossiers, reads statistics.
        Admin = "admin",
        /// Runs sessions, keeps the record, drafts and signs agreements.
        Mediator = "mediator",
    }
}

labelled_enum! {
    /// Languages a mediator can hold a session in; the client offers the same two.
    pub enum Language {
        ZhCn = "zh-CN",
        En = "en",
    }
}

/// A login name: lowercase ASCII letters, digits, `.`, `_` and `-`, 3 to 32 long. Kept ASCII so
/// that look-alike characters cannot make two accounts that read the same.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse(raw: &str) -> Result<Self, Invalid> {
        let name = raw.trim().to_ascii_lowercase();
        let ok_chars = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !(3..=32).contains(&name.len()) || !ok_chars {
            return Err(Invalid::one(
                "",
                "must be 3 to 32 characters: letters a-z, digits, '.', '_' or '-'",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The password rule: long rather than clever (NIST SP 800-63B): at least 12 characters, at most
/// 256 so that hashing cost stays bounded.
pub fn check_password(raw: &str) -> Result<(), Invalid> {
    let chars = raw.chars().count();
    if chars < 12 {
        return Err(Invalid::one("", "must be at least 12 characters"));
    }
    if chars > 256 {
        return Err(Invalid::one("", "must be at most 256 characters"));
    }
    Ok(())
}

/// Failures allowed before the account starts to back off.
const FREE_FAILURES: i64 = 5;
/// The first lock lasts this long, doubling with each further failure up to [`MAX_LOCK_MS`].
const FIRST_LOCK_MS: i64 = 30_000;
const MAX_LOCK_MS: i64 = 15 * 60_000;

/// How long an account is locked, in milliseconds, after its `failures`-th consecutive failure.
pub fn login_lock_ms(failures: i64) -> Option<i64> {
    let over = failures - FREE_FAILURES;
    (over >= 0).then(|| {
        let doublings = u32::try_from(over.min(10)).unwrap_or(10);
        (FIRST_LOCK_MS << doublings).min(MAX_LOCK_MS)
    })
}

/// A staff account as registered, checked. The password is checked here but hashed by the caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaffUser {
    pub username: Username,
    pub display_name: String,
    pub role: StaffRole,
    pub is_lawyer: bool,
    pub languages: Vec<Language>,
}

impl NewStaffUser {
    pub fn parse(
        username: &str,
        display_name: &str,
        role: StaffRole,
        is_lawyer: bool,
        languages: &[Language],
        password: &str,
    ) -> Result<Self, Invalid> {
        let mut invalid = Invalid::default();
        let username = invalid.take("username", Username::parse(username));
        let display_name = invalid.take("display_name", bounded_text(display_name, 1, 60));
        invalid.take("password", check_password(password));
        let mut languages = languages.to_vec();
        languages.sort();
        languages.dedup();
        if languages.is_empty() {
            languages.push(Language::ZhCn);
        }
        match (username, display_name) {
            (Some(username), Some(display_name)) if invalid.is_empty() => Ok(Self {
                username,
                display_name,
                role,
                is_lawyer,
                languages,
            }),
            _ => Err(invalid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lowercased_ascii() {
        assert_eq!(Username::parse(" Li.Ming ").unwrap().as_str(), "li.ming");
        for bad in ["ab", "李明", "has space", "a@b", &"x".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn passwords_must_be_long() {
        assert!(check_password("short").is_err());
        assert!(check_password("correct horse").is_ok());
        assert!(check_password(&"x".repeat(257)).is_err());
    }

    #[test]
    fn new_user_defaults_to_chinese_and_names_each_bad_field() {
        let user = NewStaffUser::parse(
            "wang",
            "王调解",
            StaffRole::Mediator,
            true,
            &[],
            "long enough pw",
        )
        .unwrap();
        assert_eq!(user.languages, [Language::ZhCn]);
        let err = NewStaffUser::parse("x", "", StaffRole::Admin, false, &[], "short").unwrap_err();
        let fields: Vec<_> = err.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["username", "display_name", "password"]);
    }

    #[test]
    fn backoff_starts_after_five_failures_and_doubles_to_a_cap() {
        assert_eq!(login_lock_ms(4), None);
        assert_eq!(login_lock_ms(5), Some(30_000));
        assert_eq!(login_lock_ms(6), Some(60_000));
        assert_eq!(login_lock_ms(9), Some(480_000));
        assert_eq!(login_lock_ms(10), Some(MAX_LOCK_MS));
        assert_eq!(login_lock_ms(1_000), Some(MAX_LOCK_MS));
    }
}
