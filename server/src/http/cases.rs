//! Cases, for the committee's staff: register, list, read, edit, move through the lifecycle,
//! assign mediators, and read the event log.

use super::auth::Auth;
use super::error::{ApiError, ApiResult};
use super::extract::{ApiJson, ApiPath, ApiQuery};
use super::views::{CaseView, EventLogView, EventView};
use super::AppState;
use crate::domain::case::{
    check_case_seq, CaseDetails, CaseSource, CaseStatus, CaseTransition, DisputeType, Prevented,
    TransitionError,
};
use crate::domain::events::EventActor;
use crate::domain::ids::{CaseId, UserId};
use crate::domain::live::{MemberId, Revocation};
use crate::domain::permissions::{
    check_case, check_committee, Actor, CaseAction, CaseScope, CommitteeAction, StaffActor,
};
use crate::domain::staff::StaffRole;
use crate::domain::{Invalid, Timestamp};
use crate::record::commitment::{check_kept_texts, committed_text};
use crate::store::cases::{CaseFilter, CaseRecord};
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// Loads a case and checks that `auth` may do `action` on it. Everything a handler does to a
/// case starts here.
pub(super) async fn authorized_case(
    state: &AppState,
    auth: &Auth,
    id: CaseId,
    action: CaseAction,
) -> ApiResult<CaseRecord> {
    let case = state.db().case(id).await?;
    let scope = CaseScope {
        case_id: case.id,
        committee_id: case.committee_id,
        mediators: &case.mediators,
    };
    check_case(&auth.actor, action, &scope)?;
    Ok(case)
}

pub(super) fn staff_of(auth: &Auth) -> ApiResult<StaffActor> {
    match auth.actor {
        Actor::Staff(staff) => Ok(staff),
        Actor::Participant(_) => Err(ApiError::forbidden()),
    }
}

/// Who is asking, as a live session knows them.
pub(super) fn live_member(auth: &Auth) -> MemberId {
    match auth.actor {
        Actor::Staff(s) => MemberId::Staff(s.user_id),
        Actor::Participant(p) => MemberId::Participant(p.participant_id),
    }
}

pub(super) fn event_actor(auth: &Auth) -> EventActor {
    match auth.actor {
        Actor::Staff(s) => EventActor::Staff(s.user_id),
        Actor::Participant(p) => EventActor::Participant(p.participant_id),
    }
}

pub(super) async fn view(state: &AppState, case: CaseRecord) -> ApiResult<CaseView> {
    let names = state.db().users(Some(case.committee_id)).await?;
    Ok(CaseView::new(case, &names))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseDetailsRequest {
    pub(super) dispute_type: DisputeType,
    pub(super) source: CaseSource,
    pub(super) summary: String,
    /// Amount in dispute in fen (1/100 yuan), if money is at stake.
    pub(super) amount_fen: Option<i64>,
}

impl CaseDetailsRequest {
    fn parse(&self) -> Result<CaseDetails, Invalid> {
        CaseDetails::parse(
            self.dispute_type,
            self.source,
            &self.summary,
            self.amount_fen,
        )
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RegisterCaseRequest {
    pub(super) dispute_type: DisputeType,
    pub(super) source: CaseSource,
    pub(super) summary: String,
    /// Amount in dispute in fen (1/100 yuan), if money is at stake.
    pub(super) amount_fen: Option<i64>,
    /// The N of "(YYYY) 人调字第 N 号" when carried over from a paper register; else the next one.
    pub(super) number_seq: Option<i64>,
}

/// Registers a case with the signed-in staff member's committee. A mediator who registers a case
/// is assigned to it.
#[utoipa::path(
    post, path = "/api/cases", tag = "cases",
    request_body = RegisterCaseRequest,
    responses(
        (status = 201, body = CaseView),
        (status = 409, description = "The case number is taken", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn register(
    State(state): State<AppState>,
    auth: Auth,
    ApiJson(request): ApiJson<RegisterCaseRequest>,
) -> ApiResult<(StatusCode, Json<CaseView>)> {
    let staff = check_committee(&auth.actor, CommitteeAction::RegisterCase)?;
    let mut invalid = Invalid::default();
    let details = invalid.take(
        "",
        CaseDetails::parse(
            request.dispute_type,
            request.source,
            &request.summary,
            request.amount_fen,
        ),
    );
    let seq = match request.number_seq {
        Some(seq) => invalid.take("number_seq", check_case_seq(seq)).map(Some),
        None => Some(None),
    };
    let (Some(details), Some(seq)) = (details, seq) else {
        return Err(invalid.into());
    };
    let assign_registrar = staff.role == StaffRole::Mediator;
    let id = state
        .db()
        .register_case(
            staff.committee_id,
            staff.user_id,
            assign_registrar,
            &details,
            seq,
            state.now(),
        )
        .await?;
    let case = state.db().case(id).await?;
    Ok((StatusCode::CREATED, Json(view(&state, case).await?)))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub(super) struct CaseListQuery {
    pub(super) status: Option<CaseStatus>,
    pub(super) dispute_type: Option<DisputeType>,
    /// Only cases this mediator is assigned to.
    pub(super) mediator: Option<Uuid>,
}

/// The cases the signed-in staff member may see: all of the committee's for an admin, the
/// assigned ones for a mediator. Newest first.
#[utoipa::path(
    get, path = "/api/cases", tag = "cases",
    params(CaseListQuery),
    responses((status = 200, body = Vec<CaseView>), (status = 401, body = super::error::ErrorBody))
)]
pub(super) async fn list(
    State(state): State<AppState>,
    auth: Auth,
    ApiQuery(query): ApiQuery<CaseListQuery>,
) -> ApiResult<Json<Vec<CaseView>>> {
    let staff = check_committee(&auth.actor, CommitteeAction::ListCases)?;
    let filter = CaseFilter {
        assigned_to: (staff.role != StaffRole::Admin).then_some(staff.user_id),
        status: query.status,
        dispute_type: query.dispute_type,
        mediator: query.mediator.map(UserId::from_uuid),
    };
    let cases = state.db().cases(staff.committee_id, &filter).await?;
    let names = state.db().users(Some(staff.committee_id)).await?;
    Ok(Json(
        cases
            .into_iter()
            .map(|case| CaseView::new(case, &names))
            .collect(),
    ))
}

#[utoipa::path(
    get, path = "/api/cases/{case_id}", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = CaseView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn get(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<CaseView>> {
    let case = authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    Ok(Json(view(&state, case).await?))
}

/// Replaces the registration details of a case.
#[utoipa::path(
    put, path = "/api/cases/{case_id}", tag = "cases",
    params(("case_id" = Uuid, Path)),
    request_body = CaseDetailsRequest,
    responses(
        (status = 200, body = CaseView),
        (status = 409, description = "The case is archived", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn edit(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<CaseDetailsRequest>,
) -> ApiResult<Json<CaseView>> {
    authorized_case(&state, &auth, case_id, CaseAction::EditDetails).await?;
    let details = request.parse()?;
    state
        .db()
        .edit_case_details(case_id, &details, event_actor(&auth), state.now())
        .await?;
    Ok(Json(view(&state, state.db().case(case_id).await?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct TransitionRequest {
    pub(super) transition: CaseTransition,
}

/// Why a lifecycle step is not taken here, if it is not: termination has its own endpoint,
/// which records what PML 26 requires with it; the agreement's steps follow from its signatures.
fn not_by_hand(transition: CaseTransition) -> Option<&'static str> {
    match transition {
        CaseTransition::Accept
        | CaseTransition::Refuse
        | CaseTransition::StartMediation
        | CaseTransition::Archive => None,
        CaseTransition::Terminate => Some(
            "is recorded with its reasons and the notice of other routes (PML 26): \
             POST /api/cases/{case_id}/termination",
        ),
        CaseTransition::ReachAgreement
        | CaseTransition::TakeEffect
        | CaseTransition::ResumeMediation => {
            Some("follows from the agreement's signatures and cannot be taken by hand")
        }
    }
}

/// Moves a case through its lifecycle (accept, refuse, start mediation, archive).
#[utoipa::path(
    post, path = "/api/cases/{case_id}/transitions", tag = "cases",
    params(("case_id" = Uuid, Path)),
    request_body = TransitionRequest,
    responses(
        (status = 200, body = CaseView),
        (status = 409, description = "Not allowed from the current status", body = super::error::ErrorBody),
        (status = 422, body = super::error::ErrorBody),
    )
)]
pub(super) async fn transition(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<TransitionRequest>,
) -> ApiResult<Json<CaseView>> {
    let action = CaseAction::Transition(request.transition);
    let case = authorized_case(&state, &auth, case_id, action).await?;
    if let Some(why) = not_by_hand(request.transition) {
        return Err(ApiError::invalid_field("transition", why));
    }
    // Archiving closes the dossier, and an archived record takes no more events: a sitting
    // still open (those who stayed while their agreement took effect) ends first, on the record.
    if request.transition == CaseTransition::Archive && case.status.keeps_live_session() {
        state.live().end(case_id, live_member(&auth)).await;
    }
    let outcome = state
        .db()
        .transition_case(case_id, request.transition, event_actor(&auth), state.now())
        .await?;
    outcome.map_err(|refused| match refused {
        TransitionError::NotAllowed { .. } => {
            ApiError::conflict("transition_not_allowed", refused.to_string())
        }
        TransitionError::NoMediator => ApiError::conflict("no_mediator", refused.to_string()),
    })?;
    Ok(Json(view(&state, state.db().case(case_id).await?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct AssignMediatorsRequest {
    /// The staff members who will mediate: at least one, all of the case's committee.
    pub(super) mediators: Vec<Uuid>,
}

/// Sets the mediators of a case (PML 19). Committee admins only.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/mediators", tag = "cases",
    params(("case_id" = Uuid, Path)),
    request_body = AssignMediatorsRequest,
    responses((status = 200, body = CaseView), (status = 422, body = super::error::ErrorBody))
)]
pub(super) async fn assign_mediators(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<AssignMediatorsRequest>,
) -> ApiResult<Json<CaseView>> {
    authorized_case(&state, &auth, case_id, CaseAction::AssignMediators).await?;
    let mut mediators: Vec<UserId> = request
        .mediators
        .iter()
        .map(|id| UserId::from_uuid(*id))
        .collect();
    let mut seen = std::collections::HashSet::new();
    mediators.retain(|id| seen.insert(*id));
    if mediators.is_empty() || mediators.len() > 10 {
        return Err(ApiError::invalid_field(
            "mediators",
            "name one to ten mediators",
        ));
    }
    let outcome = state
        .db()
        .assign_mediators(case_id, &mediators, event_actor(&auth), state.now())
        .await?;
    outcome.map_err(|user| {
        ApiError::invalid_field(
            "mediators",
            format!("{user} is not an active staff member of this committee"),
        )
    })?;
    // A mediator taken off the case may not run its session a moment longer (PML 19).
    state
        .live()
        .revoked(
            case_id,
            Revocation::MediatorUnassigned,
            Some(live_member(&auth)),
        )
        .await;
    Ok(Json(view(&state, state.db().case(case_id).await?).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct DifficultyRequest {
    pub(super) difficult: bool,
}

/// Counts the case as difficult or complex (疑难复杂) in the statistics, or not.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/difficulty", tag = "cases",
    params(("case_id" = Uuid, Path)),
    request_body = DifficultyRequest,
    responses((status = 200, body = CaseView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn difficulty(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<DifficultyRequest>,
) -> ApiResult<Json<CaseView>> {
    authorized_case(&state, &auth, case_id, CaseAction::EditDetails).await?;
    state
        .db()
        .mark_difficult(case_id, request.difficult, event_actor(&auth), state.now())
        .await?;
    Ok(Json(view(&state, state.db().case(case_id).await?).await?))
}

/// Counts the case among those whose mediation prevented a criminal case (防止民转刑) or a mass
/// petition (防止群体性上访), in the statistics, or not.
#[utoipa::path(
    put, path = "/api/cases/{case_id}/prevention", tag = "cases",
    params(("case_id" = Uuid, Path)),
    request_body = Prevented,
    responses((status = 200, body = CaseView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn prevention(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
    ApiJson(request): ApiJson<Prevented>,
) -> ApiResult<Json<CaseView>> {
    authorized_case(&state, &auth, case_id, CaseAction::EditDetails).await?;
    state
        .db()
        .mark_prevented(case_id, request, event_actor(&auth), state.now())
        .await?;
    Ok(Json(view(&state, state.db().case(case_id).await?).await?))
}

/// The case's event log, and whether its hash chain holds.
#[utoipa::path(
    get, path = "/api/cases/{case_id}/events", tag = "cases",
    params(("case_id" = Uuid, Path)),
    responses((status = 200, body = EventLogView), (status = 404, body = super::error::ErrorBody))
)]
pub(super) async fn events(
    State(state): State<AppState>,
    auth: Auth,
    ApiPath(case_id): ApiPath<CaseId>,
) -> ApiResult<Json<EventLogView>> {
    let case = authorized_case(&state, &auth, case_id, CaseAction::View).await?;
    let events = state.db().case_events(case_id).await?;
    let staff = state.db().users(Some(case.committee_id)).await?;
    let participants = state.db().participant_names(case_id).await?;
    let name_of = |actor: &str| -> Option<String> {
        if let Some(id) = actor.strip_prefix("user:") {
            staff
                .iter()
                .find(|u| u.id.to_string() == id)
                .map(|u| u.display_name.clone())
        } else if let Some(id) = actor.strip_prefix("participant:") {
            participants
                .iter()
                .find(|(p, _)| p.to_string() == id)
                .map(|(_, name)| name.clone())
        } else {
            None
        }
    };
    let check = crate::record::chain::verify_chain(&events);
    let kept = state.db().kept_texts(case_id).await?;
    let texts = check_kept_texts(&events, &kept);
    Ok(Json(EventLogView {
        chain_intact: check.is_ok(),
        first_break: check.err().map(|b| b.to_string()),
        texts_intact: texts.is_ok(),
        first_altered_text: texts.err(),
        events: events
            .into_iter()
            .map(|e| EventView {
                text: committed_text(&e, &kept).map(str::to_owned),
                seq: e.body.seq,
                at: Timestamp::from_millis(e.body.at_ms).to_rfc3339(),
                actor_name: name_of(&e.body.actor),
                actor: e.body.actor,
                kind: e.body.kind,
                payload: e.body.payload,
                hash: e.hash.to_hex(),
            })
            .collect(),
    }))
}
