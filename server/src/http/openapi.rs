//! The answers that every operation of a kind shares, added to the OpenAPI document once the
//! routes are in it. They come from the extractors and middleware that all handlers of that kind
//! go through (a JSON body, a path or query parameter, a session, a state change), so each
//! handler's own annotation lists only what the handler itself decides.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Response, ResponseBuilder};

/// Operations anyone may call: no session is looked at, so none answers 401 for want of one.
/// Every other operation under `/api` needs a staff, participant or supervisor session.
const ANONYMOUS: [&str; 9] = [
    "/healthz",
    "/readyz",
    "/metrics",
    "/api/setup",
    "/api/auth/login",
    "/api/supervision/login",
    "/api/invitations/redeem",
    "/api/committees/{committee_id}/seal",
    "/api/courts/{court_id}/callback",
];

/// Operations that only read the caller's own session: signed in is all they ask.
const SESSION_ONLY: [&str; 2] = ["/api/auth/me", "/api/supervision/me"];

/// Adds the shared answers to every operation of `doc` that lacks them.
pub(super) fn complete(doc: &mut OpenApi) {
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            (false, item.get.as_mut()),
            (true, item.put.as_mut()),
            (true, item.post.as_mut()),
            (true, item.delete.as_mut()),
            (true, item.patch.as_mut()),
        ];
        for (changes_state, operation) in operations {
            if let Some(operation) = operation {
                complete_operation(operation, path, changes_state);
            }
        }
    }
}

fn complete_operation(operation: &mut Operation, path: &str, changes_state: bool) {
    let signed_in = !ANONYMOUS.contains(&path);
    let has = |place: ParameterIn| {
        operation
            .parameters
            .iter()
            .flatten()
            .any(|p| p.parameter_in == place)
    };
    let mut shared: Vec<(&str, &str)> = Vec::new();
    if operation.request_body.is_some() {
        shared.extend([
            ("400", "The body is not JSON (`invalid_json`)"),
            (
                "413",
                "The body is larger than 64 KiB (`payload_too_large`)",
            ),
            ("415", "The body is not `application/json`"),
            (
                "422",
                "The body does not have the expected shape (`invalid_input`, naming the field)",
            ),
        ]);
    }
    if has(ParameterIn::Path) {
        shared.push((
            "404",
            "Nothing by that id (an id that does not parse names nothing either)",
        ));
    }
    if has(ParameterIn::Query) {
        shared.push(("422", "A query parameter does not parse (`invalid_input`)"));
    }
    if signed_in {
        shared.push((
            "401",
            "Not signed in, or the session has ended (`unauthenticated`)",
        ));
    }
    // Every check in `domain::permissions` can refuse, and a state change passes the checks of
    // its origin and CSRF token as well: one status, so one description names them all.
    let mut forbidden = Vec::new();
    if signed_in && !SESSION_ONLY.contains(&path) {
        forbidden.push("this role or person may not do this (`forbidden`)");
    }
    if changes_state {
        forbidden.push("the request came from another origin (`cross_origin`)");
        if signed_in {
            forbidden.push("it came without the session's X-CSRF-Token (`csrf_failed`)");
        }
    }
    let mut forbidden = forbidden.join("; or ");
    if let Some(first) = forbidden.get_mut(..1) {
        first.make_ascii_uppercase();
        shared.push(("403", &forbidden));
    }
    let responses = &mut operation.responses.responses;
    for (status, description) in shared {
        responses
            .entry(status.to_owned())
            .or_insert_with(|| RefOr::T(error_response(description)));
    }
}

fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}

#[cfg(test)]
mod tests {
    use serde_json::Value;

    fn document() -> Value {
        serde_json::from_str(&super::super::openapi_document()).expect("the document is JSON")
    }

    fn refs<'a>(value: &'a Value, found: &mut Vec<&'a str>) {
        match value {
            Value::Object(map) => {
                for (key, member) in map {
                    match (key.as_str(), member) {
                        ("$ref", Value::String(target)) => found.push(target),
                        _ => refs(member, found),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| refs(item, found)),
            _ => {}
        }
    }

    /// A reference to a schema the document does not hold leaves clients (and schemathesis)
    /// unable to read the operation.
    #[test]
    fn every_reference_names_a_schema_of_the_document() {
        let doc = document();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        assert!(!found.is_empty());
        let dangling: Vec<_> = found
            .into_iter()
            .filter(|target| {
                let name = target.trim_start_matches("#/components/schemas/");
                doc["components"]["schemas"].get(name).is_none()
            })
            .collect();
        assert!(dangling.is_empty(), "dangling: {dangling:?}");
    }

    #[test]
    fn shared_answers_are_added_by_the_shape_of_each_operation() {
        let doc = document();
        let paths = &doc["paths"];
        let codes = |path: &str, method: &str| -> Vec<String> {
            let responses = paths[path][method]["responses"]
                .as_object()
                .unwrap_or_else(|| panic!("{method} {path}"));
            responses.keys().cloned().collect()
        };
        // A JSON body, a path parameter, a session, a state change.
        let add = codes("/api/cases/{case_id}/participants", "post");
        for code in ["400", "401", "403", "404", "413", "415", "422"] {
            assert!(add.iter().any(|c| c == code), "{code} in {add:?}");
        }
        // Anonymous and read-only: none of those.
        assert_eq!(codes("/healthz", "get"), ["200"]);
        // A signed-in read: 401 but no 403 for want of a CSRF token.
        let me = codes("/api/auth/me", "get");
        assert!(me.iter().any(|c| c == "401") && !me.iter().any(|c| c == "403"));
        // A signed-in read: what the permissions refuse.
        let invitations = codes("/api/cases/{case_id}/invitations", "get");
        assert!(invitations.iter().any(|c| c == "403"), "{invitations:?}");
        // What a handler says itself is kept.
        let login = &paths["/api/auth/login"]["post"]["responses"]["401"]["description"];
        assert_eq!(login, "Wrong username or password");
    }
}
