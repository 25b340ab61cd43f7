//! First start: the one-time setup link creates the first committee and its admin.

use super::auth::start_staff_session;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ClientIp};
use super::views::MeResponse;
use super::AppState;
use crate::domain::committee::{CommitteeKind, NewCommittee};
use crate::domain::staff::{Language, NewStaffUser, StaffRole};
use crate::domain::Invalid;
use crate::secret::{Secret, Token};
use crate::store::setup::{SetupOutcome, SetupRefused};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupRequest {
    /// The token from the setup link the server printed (the part after `#t=`).
    #[schema(value_type = String)]
    pub(super) token: Secret<String>,
    pub(super) committee: SetupCommittee,
    pub(super) admin: SetupAdmin,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupCommittee {
    pub(super) name: String,
    pub(super) kind: CommitteeKind,
    /// e.g. 北京市朝阳区
    pub(super) region: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SetupAdmin {
    pub(super) username: String,
    pub(super) display_name: String,
    #[schema(value_type = String, format = Password)]
    pub(super) password: Secret<String>,
    #[serde(default)]
    pub(super) is_lawyer: bool,
    #[serde(default)]
    pub(super) languages: Vec<Language>,
}

/// Creates the first committee and its admin from the one-time setup link, and signs the admin in.
#[utoipa::path(
    post, path = "/api/setup", tag = "auth",
    request_body = SetupRequest,
    responses(
        (status = 201, description = "Set up; sets the staff session cookie", body = MeResponse),
        (status = 404, description = "`setup_token_invalid`: unknown or used link", body = super::error::ErrorBody),
        (status = 410, description = "`setup_token_expired`", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn complete(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(request): ApiJson<SetupRequest>,
) -> ApiResult<Response> {
    state.limits().check_redeem(ip)?;
    let mut invalid = Invalid::default();
    let committee = invalid.take(
        "committee",
        NewCommittee::parse(
            &request.committee.name,
            request.committee.kind,
            &request.committee.region,
        ),
    );
    let admin = invalid.take(
        "admin",
        NewStaffUser::parse(
            &request.admin.username,
            &request.admin.display_name,
            StaffRole::Admin,
            request.admin.is_lawyer,
            &request.admin.languages,
            request.admin.password.expose(),
        ),
    );
    let (Some(committee), Some(admin)) = (committee, admin) else {
        return Err(invalid.into());
    };
    let hash = crate::password::hash(request.admin.password.expose().clone()).await?;
    let token = Token::from_presented(request.token.expose());
    let outcome = state
        .db()
        .complete_setup(&token.hash(), &committee, &admin, &hash, state.now())
        .await?;
    match outcome {
        SetupOutcome::Done { user_id, .. } => {
            tracing::info!(user = %user_id, "first committee and admin created");
            start_staff_session(&state, user_id, StatusCode::CREATED).await
        }
        SetupOutcome::Refused(SetupRefused::Invalid) => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "setup_token_invalid",
            "this setup link is not valid or was already used",
        )),
        SetupOutcome::Refused(SetupRefused::Expired) => Err(ApiError::gone(
            "setup_token_expired",
            "this setup link has expired",
        )),
    }
}
