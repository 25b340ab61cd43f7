-- The record of a mediation (issue #5): its agenda, the mediator's notes of each sitting, and
-- its termination with the notice of other routes (PML 26). Each change appends its event to
-- the case's chain in the same transaction.

-- The agenda, one row per item in `position` order (from 0). A change rewrites the case's rows:
-- an agenda is short.
CREATE TABLE agenda_items (
    id             TEXT PRIMARY KEY,
    case_id        TEXT NOT NULL REFERENCES cases (id),
    position       BIGINT NOT NULL,
    title          TEXT NOT NULL,
    description    TEXT,
    status         TEXT NOT NULL,
    -- Whole seconds spent in closed stretches; the running one began at started_at.
    seconds_spent  BIGINT NOT NULL DEFAULT 0,
    started_at     BIGINT
);
CREATE INDEX agenda_items_case ON agenda_items (case_id, position);

-- The mediation record (调解笔录): every saved version of the mediator's notes of a sitting,
-- named by the `session` of its session_started event. As with chat, the chain records only
-- each text's SHA-256, so that an exported record proves the notes without revealing them and
-- a text changed here afterwards no longer matches.
CREATE TABLE session_notes (
    case_id   TEXT NOT NULL REFERENCES cases (id),
    session   TEXT NOT NULL,
    version   BIGINT NOT NULL,
    text      TEXT NOT NULL,
    saved_by  TEXT NOT NULL REFERENCES users (id),
    saved_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, session, version)
);

-- A mediation that ended without agreement: why (a JSON array of reason codes, and details in
-- the mediator's words) and the notice of other routes as given (a JSON array of
-- {language, title, body}). A case is terminated once.
CREATE TABLE terminations (
    case_id         TEXT PRIMARY KEY REFERENCES cases (id),
    reasons         TEXT NOT NULL,
    details         TEXT,
    notice_version  TEXT NOT NULL,
    notices         TEXT NOT NULL,
    terminated_by   TEXT NOT NULL REFERENCES users (id),
    terminated_at   BIGINT NOT NULL
);
