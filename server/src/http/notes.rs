//! The mediation record (调解笔录): the sittings of a case and the mediator's notes of each, every
//! version kept. Only the case's staff read them and only its assigned mediators write them: a
//! participant is refused on every endpoint here (`check_case` never lets one through).

use super::auth::Auth;
use super::cases::{authorized_case, staff_of};
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath};
use super::AppState;
use crate::domain::ids::CaseId;
use crate::domain::notes::{NoteText, NotesRefusal};
use crate::domain::permissions::CaseAction;
use crate::domain::Invalid;
use crate::record::commitment;
use crate::store::notes::NoteVersion;
use crate::store::users::StaffUser;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A sitting: one live session of the case.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct SittingView {
    session: Uuid,
    started_at: String,
    /// Absent while it runs (or if the server stopped before it ended).
    ended_at: Option<String>,
    /// The newest version of its notes, if any were saved.
    notes_version: Option<u32>,
    notes_saved_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct NoteVersionView {
    version: u32,
    text: String,
    saved_at: String,
    saved_by: Uuid,
    saved_by_name: Option<String>,
    /// The SHA-256 of `text`.
    text_sha256: String,
    /// Whether `text` is still the text the case's chain committed to when it was saved. False
    /// means the stored text was changed afterwards.
    intact: bool,
}

/// The notes of one sitting, every version, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub(super) struct NotesView {
    session: Uuid,
    versions: Vec<NoteVersionView>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct SaveNotesRequest {
    /// 1 to 16000 characters.
    text: String,
    /// The version the text was edited from (0 when there was none): a save over a newer version
    /// someone else made is refused, not lost.
    base_version: u32,
}

fn version_view(version: NoteVersion, staff: &[StaffUser]) -> NoteVersionView {
    let text_sha256 = commitment::text_sha256(&version.text);
    NoteVersionView {
        intact: version.chained_sha256.as_deref() == Some(text_sha256.as_str()),
        version: version.version,
        saved_at: version.saved_at.to_rfc3339(),
        saved_by: version.saved_by.uuid(),
        saved_by_name: staff
            .iter()
            .find(|u| u.id == version.saved_by)
            .map(|u| u.display_name.clone()),
        text: version.text,
        text_sha256,
    }
}

fn refused(refusal: NotesRefusal) -> ApiError {
    let message = refusal.to_string();
    match refusal {
        NotesRefusal::UnknownSitting => {
            ApiError::new(StatusCode::NOT_FOUND, "sitting_not_found", message)
        }
        NotesRefusal::Stale { .. } => ApiError::conflict("notes_version_conflict", message),
    }
}

/// The case's sittings (live sessions), newest first, with the state of their notes.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/sittings", tag = "record",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = Vec<SittingView>), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn sittings(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<Vec<SittingView>>> {
    authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let sittings = state.db().sittings(case_id).await?;
    let latest = state.db().latest_notes(case_id).await?;
    Ok(Json(
        sittings
            .into_iter()
            .map(|sitting| {
                let notes = latest.iter().find(|l| l.session == sitting.session);
                SittingView {
                    session: sitting.session,
                    started_at: sitting.started_at.to_rfc3339(),
                    ended_at: sitting.ended_at.map(|at| at.to_rfc3339()),
                    notes_version: notes.map(|l| l.version),
                    notes_saved_at: notes.map(|l| l.saved_at.to_rfc3339()),
                }
            })
            .collect(),
    ))
}

/// Every version of the mediator's notes of one sitting, newest first, each with whether its
/// text still matches the case's chain.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/sittings/{session}/notes", tag = "record",
    params(("case_id" = Uuid, Path), ("session" = Uuid, Path)),
    responses(
        (status = 200, body = NotesView),
        (status = 403, description = "Participants never read the notes", body = super::error::ErrorBody),
        (status = 404, description = "`sitting_not_found`, or no such case", body = super::error::ErrorBody),
    )
)]
pub(super) async fn history(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, session)): ApiPath<(CaseId, Uuid)>,
) -> ApiResult<Json<NotesView>> {
    let case = authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let db = state.db();
    if !db
        .sittings(case_id)
        .await?
        .iter()
        .any(|s| s.session == session)
    {
        return Err(refused(NotesRefusal::UnknownSitting));
    }
    let staff = db.users(Some(case.committee_id)).await?;
    let versions = db.notes(case_id, session).await?;
    Ok(Json(NotesView {
        session,
        versions: versions
            .into_iter()
            .map(|v| version_view(v, &staff))
            .collect(),
    }))
}

/// Saves a new version of the notes of a sitting; earlier versions stay. Assigned mediators only.
#[utoipa::path(
    post, path = "/api/cases/{case_id}/sittings/{session}/notes", tag = "record",
    params(("case_id" = Uuid, Path), ("session" = Uuid, Path)),
    request_body = SaveNotesRequest,
    responses(
        (status = 201, body = NoteVersionView),
        (status = 404, description = "`sitting_not_found`", body = super::error::ErrorBody),
        (status = 409, description = "`notes_version_conflict`: someone saved a newer version; `case_archived`", body = super::error::ErrorBody),
        (status = 422, description = "`text` empty or longer than 16000 characters", body = super::error::ErrorBody),
    )
)]
pub(super) async fn save(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath((case_id, session)): ApiPath<(CaseId, Uuid)>,
    ApiJson(request): ApiJson<SaveNotesRequest>,
) -> ApiResult<(StatusCode, Json<NoteVersionView>)> {
    let case = authorized_case(&state, &auth, case_id, CaseAction::KeepRecord).await?;
    let staff = staff_of(&auth)?;
    let mut invalid = Invalid::default();
    let Some(text) = invalid.take("text", NoteText::parse(&request.text)) else {
        return Err(invalid.into());
    };
    let db = state.db();
    let version = db
        .save_notes(
            case_id,
            session,
            request.base_version,
            &text,
            staff.user_id,
            state.now(),
        )
        .await?
        .map_err(refused)?;
    let saved = db
        .notes(case_id, session)
        .await?
        .into_iter()
        .find(|v| v.version == version)
        .ok_or_else(|| ApiError::internal(anyhow::anyhow!("saved notes not found")))?;
    let names = db.users(Some(case.committee_id)).await?;
    Ok((StatusCode::CREATED, Json(version_view(saved, &names))))
}
