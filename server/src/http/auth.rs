//! Who is asking: staff sessions (login, logout) and participant sessions (a redeemed invitation),
//! both as HttpOnly cookies holding a random token whose hash is the session's key.
//!
//! State-changing requests must also carry `X-CSRF-Token`, a value derived from the session token
//! that only a page of ours can read (from `/api/auth/me` or the login answer). SameSite=Strict
//! cookies are the first defence against cross-site requests; this is the second.

use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ClientIp};
use super::lockout::LoginKey;
use super::views::{MeResponse, StaffUserView};
use super::AppState;
use crate::domain::ids::UserId;
use crate::domain::permissions::{Actor, ParticipantActor, StaffActor};
use crate::domain::session::SessionPolicy;
use crate::domain::staff::Username;
use crate::secret::{Secret, Token};
use crate::store::users::Accounts;
use axum::extract::{FromRequestParts, State};
use axum::http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use std::net::IpAddr;
use utoipa::ToSchema;
use uuid::Uuid;

pub const STAFF_COOKIE: &str = "accord_staff";
pub const PARTICIPANT_COOKIE: &str = "accord_participant";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The signed-in actor of a request: staff if a staff session is present, else a participant.
#[derive(Debug)]
pub(super) struct Auth {
    pub(super) actor: Actor,
    token: Token,
}

impl Auth {
    pub(super) fn csrf_token(&self) -> String {
        self.token.csrf()
    }

    /// What this request's sign-in is known by, to check it again later.
    pub(super) fn token_hash(&self) -> crate::secret::TokenHash {
        self.token.hash()
    }
}

/// A signed-in participant, from the participant cookie only: the pages a party uses work the
/// same even in a browser where a mediator is also signed in.
#[derive(Debug)]
pub(super) struct ParticipantAuth {
    pub(super) actor: ParticipantActor,
}

pub(super) fn cookie(headers: &HeaderMap, name: &str) -> Option<Token> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| Token::from_presented(value))
}

/// Constant-time comparison, so that the time taken says nothing about how much matched.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub(super) fn check_csrf(parts: &Parts, token: &Token) -> ApiResult<()> {
    if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(());
    }
    let presented = parts
        .headers
        .get(CSRF_HEADER)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if same(presented, &token.csrf()) {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::FORBIDDEN,
            "csrf_failed",
            "missing or wrong X-CSRF-Token header",
        ))
    }
}

async fn staff_from(parts: &Parts, state: &AppState) -> ApiResult<Option<(StaffActor, Token)>> {
    let Some(token) = cookie(&parts.headers, STAFF_COOKIE) else {
        return Ok(None);
    };
    let config = state.config();
    let policy = SessionPolicy::staff(config.session_idle_minutes, config.session_absolute_hours);
    let actor = state
        .db()
        .staff_session(&token.hash(), policy, state.now())
        .await?;
    Ok(actor.map(|actor| (actor, token)))
}

async fn participant_from(
    parts: &Parts,
    state: &AppState,
) -> ApiResult<Option<(ParticipantActor, Token)>> {
    let Some(token) = cookie(&parts.headers, PARTICIPANT_COOKIE) else {
        return Ok(None);
    };
    let actor = state
        .db()
        .participant_session(&token.hash(), state.now())
        .await?;
    Ok(actor.map(|actor| (actor, token)))
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let (actor, token) = match staff_from(parts, state).await? {
            Some((staff, token)) => (Actor::Staff(staff), token),
            None => match participant_from(parts, state).await? {
                Some((participant, token)) => (Actor::Participant(participant), token),
                None => return Err(ApiError::unauthenticated()),
            },
        };
        check_csrf(parts, &token)?;
        Ok(Auth { actor, token })
    }
}

impl FromRequestParts<AppState> for ParticipantAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let (actor, token) = participant_from(parts, state)
            .await?
            .ok_or_else(ApiError::unauthenticated)?;
        check_csrf(parts, &token)?;
        Ok(ParticipantAuth { actor })
    }
}

/// A `Set-Cookie` value for a session token. `Secure` whenever people reach us over https.
pub(super) fn session_cookie(
    state: &AppState,
    name: &str,
    token: &Token,
    max_age_s: i64,
) -> HeaderValue {
    let secure = if state.config().secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    let value = format!(
        "{name}={}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_s}{secure}",
        token.expose()
    );
    HeaderValue::from_str(&value).unwrap_or_else(|_| HeaderValue::from_static(""))
}

pub(super) fn clear_cookie(name: &str) -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{name}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Signs a staff member in on this browser and answers with who they are.
pub(super) async fn start_staff_session(
    state: &AppState,
    user: UserId,
    status: StatusCode,
) -> ApiResult<Response> {
    let (token, cookie) = start_account_session(state, Accounts::Staff, user.uuid()).await?;
    let me = MeResponse::Staff {
        user: StaffUserView::from(state.db().user(user).await?),
        csrf_token: token.csrf(),
    };
    Ok((status, [(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// Starts a session of a password account on this browser: its token (whose CSRF value the
/// page needs) and the cookie that carries it, named by the kind of account.
pub(super) async fn start_account_session(
    state: &AppState,
    accounts: Accounts,
    account: Uuid,
) -> ApiResult<(Token, HeaderValue)> {
    let token = Token::generate();
    state
        .db()
        .create_session(accounts, &token.hash(), account, state.now())
        .await?;
    let name = match accounts {
        Accounts::Staff => STAFF_COOKIE,
        Accounts::Supervisors => super::supervision_auth::SUPERVISOR_COOKIE,
    };
    let max_age = i64::from(state.config().session_absolute_hours) * 3600;
    let cookie = session_cookie(state, name, &token, max_age);
    Ok((token, cookie))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct LoginRequest {
    pub(super) username: String,
    #[schema(value_type = String, format = Password)]
    pub(super) password: Secret<String>,
}

/// Signs a staff member in. Repeated failures from one client address make that address wait
/// before it may try the name again, and each client address may only try so often.
#[utoipa::path(
    post, path = "/api/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in; sets the staff session cookie", body = MeResponse),
        (status = 401, description = "Wrong username or password", body = super::error::ErrorBody),
        (status = 429, description = "Too many attempts; see Retry-After", body = super::error::ErrorBody),
    )
)]
pub(super) async fn login(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Response> {
    let id = authenticate(&state, ip, &request, Accounts::Staff).await?;
    start_staff_session(&state, UserId::from_uuid(id), StatusCode::OK).await
}

/// Checks a username and password against one kind of account and answers with the account's
/// id. Every failure reads the same, whether the name is unknown, the password wrong or the
/// account disabled, and so does the backoff that follows repeated failures: it is kept for the
/// name tried from this client address (see [`super::lockout`]) whether an account has the name
/// or not, so that it reveals nothing, and so that nobody elsewhere can lock the real user out.
pub(super) async fn authenticate(
    state: &AppState,
    ip: IpAddr,
    request: &LoginRequest,
    accounts: Accounts,
) -> ApiResult<Uuid> {
    state.limits().check_login(ip)?;
    let now = state.now();
    let key = LoginKey::new(accounts, &request.username, ip);
    if let Some(wait_s) = state.lockout().locked(&key, now) {
        return Err(ApiError::too_many(wait_s));
    }
    let username = Username::parse(&request.username).ok();
    let record = match &username {
        Some(name) => state.db().login_record(accounts, name.as_str()).await?,
        None => None,
    };
    // The password is checked even without an account, so that the time taken says nothing.
    let password = request.password.expose().clone();
    let matches =
        crate::password::verify(password, record.as_ref().map(|r| r.password_hash.clone())).await?;
    match record {
        Some(record) if matches && !record.disabled => {
            state.lockout().succeeded(&key);
            tracing::info!(account = %record.id, "signed in");
            Ok(record.id)
        }
        record => {
            state.lockout().failed(key, now);
            match record {
                Some(record) => tracing::info!(account = %record.id, "login failed"),
                None => tracing::info!("login failed"),
            }
            Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "invalid_credentials",
                "wrong username or password",
            ))
        }
    }
}

/// Signs this browser out (staff or participant) and forgets the session on the server.
#[utoipa::path(
    post, path = "/api/auth/logout", tag = "auth",
    responses(
        (status = 204, description = "Signed out; the session cookie is cleared"),
        (status = 401, body = super::error::ErrorBody),
        (status = 403, description = "Missing X-CSRF-Token", body = super::error::ErrorBody),
    )
)]
pub(super) async fn logout(State(state): State<AppState>, auth: Auth) -> ApiResult<Response> {
    let cookie = match auth.actor {
        Actor::Staff(_) => {
            state
                .db()
                .end_session(Accounts::Staff, &auth.token.hash())
                .await?;
            STAFF_COOKIE
        }
        Actor::Participant(_) => {
            state
                .db()
                .end_participant_session(&auth.token.hash())
                .await?;
            PARTICIPANT_COOKIE
        }
    };
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, clear_cookie(cookie))],
    )
        .into_response())
}

/// Who this browser is signed in as, with the CSRF token its page must send back.
#[utoipa::path(
    get, path = "/api/auth/me", tag = "auth",
    responses(
        (status = 200, body = MeResponse),
        (status = 401, body = super::error::ErrorBody),
    )
)]
pub(super) async fn me(State(state): State<AppState>, auth: Auth) -> ApiResult<Json<MeResponse>> {
    let me = match auth.actor {
        Actor::Staff(staff) => MeResponse::Staff {
            user: StaffUserView::from(state.db().user(staff.user_id).await?),
            csrf_token: auth.csrf_token(),
        },
        Actor::Participant(participant) => {
            super::join::participant_me(&state, participant, auth.csrf_token()).await?
        }
    };
    Ok(Json(me))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_cookie_among_several_headers() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("a=1; accord_staff=tok"),
        );
        headers.append(header::COOKIE, HeaderValue::from_static("b=2"));
        assert_eq!(
            cookie(&headers, STAFF_COOKIE).map(|t| t.expose().to_owned()),
            Some("tok".into())
        );
        assert!(cookie(&headers, PARTICIPANT_COOKIE).is_none());
    }

    #[test]
    fn compares_in_constant_time_but_correctly() {
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
