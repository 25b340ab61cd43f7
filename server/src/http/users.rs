//! Staff accounts, for committee admins: list, create, disable.

use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::views::StaffUserView;
use super::AppState;
use crate::domain::ids::UserId;
use crate::domain::live::{MemberId, Revocation};
use crate::domain::permissions::{check_committee, CommitteeAction};
use crate::domain::staff::{Language, NewStaffUser, StaffRole};
use crate::secret::Secret;
use crate::store::users::Accounts;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewUserRequest {
    pub(super) username: String,
    pub(super) display_name: String,
    pub(super) role: StaffRole,
    #[serde(default)]
    pub(super) is_lawyer: bool,
    /// Languages the user mediates in; defaults to zh-CN.
    #[serde(default)]
    pub(super) languages: Vec<Language>,
    /// At least 12 characters.
    #[schema(value_type = String, format = Password)]
    pub(super) password: Secret<String>,
}

impl NewUserRequest {
    pub(super) fn parse(&self) -> Result<NewStaffUser, crate::domain::Invalid> {
        NewStaffUser::parse(
            &self.username,
            &self.display_name,
            self.role,
            self.is_lawyer,
            &self.languages,
            self.password.expose(),
        )
    }
}

#[utoipa::path(
    get, path = "/api/users", tag = "users",
    responses((status = 200, body = Vec<StaffUserView>), (status = 403, body = super::error::ErrorBody))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    auth: Auth,
) -> ApiResult<Json<Vec<StaffUserView>>> {
    let staff = check_committee(&auth.actor, CommitteeAction::ManageUsers)?;
    let users = state.db().users(Some(staff.committee_id)).await?;
    Ok(Json(users.into_iter().map(Into::into).collect()))
}

/// Creates a staff account in the admin's committee.
#[utoipa::path(
    post, path = "/api/users", tag = "users",
    request_body = NewUserRequest,
    responses(
        (status = 201, body = StaffUserView),
        (status = 409, description = "The username is taken", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn create(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(request): ApiJson<NewUserRequest>,
) -> ApiResult<(StatusCode, Json<StaffUserView>)> {
    let staff = check_committee(&auth.actor, CommitteeAction::ManageUsers)?;
    let user = request.parse()?;
    let hash = crate::password::hash(request.password.expose().clone()).await?;
    let id = state
        .db()
        .create_user(staff.committee_id, &user, &hash, state.now())
        .await?;
    Ok((StatusCode::CREATED, Json(state.db().user(id).await?.into())))
}

/// Disables an account of the admin's committee and signs it out everywhere.
#[utoipa::path(
    post, path = "/api/users/{user_id}/disable", tag = "users",
    params(("user_id" = Uuid, Path)),
    responses((status = 204), (status = 404, body = super::error::ErrorBody), (status = 422, body = super::error::ErrorBody))
)]
pub(super) async fn disable(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(user_id): ApiPath<UserId>,
) -> ApiResult<StatusCode> {
    let staff = check_committee(&auth.actor, CommitteeAction::ManageUsers)?;
    let user = state.db().user(user_id).await?;
    if user.committee_id != staff.committee_id {
        return Err(ApiError::not_found());
    }
    if user.id == staff.user_id {
        return Err(ApiError::invalid_field(
            "user_id",
            "you cannot disable your own account",
        ));
    }
    state
        .db()
        .disable_account(Accounts::Staff, user_id.uuid(), state.now())
        .await?;
    // Signed out everywhere includes every live session the account is in.
    let by = MemberId::Staff(staff.user_id);
    state
        .live()
        .revoked_everywhere(Revocation::AccountDisabled, Some(by))
        .await;
    Ok(StatusCode::NO_CONTENT)
}
