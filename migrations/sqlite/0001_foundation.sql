-- The foundation: committees, staff and their sessions, cases, participants, invitations and the
-- case event log. Instants are milliseconds since the Unix epoch (BIGINT) and flags are 0/1
-- BIGINTs, so that the same queries read the same values on SQLite and PostgreSQL.

CREATE TABLE committees (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    kind        TEXT NOT NULL,
    region      TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    committee_id   TEXT NOT NULL REFERENCES committees (id),
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    is_lawyer      BIGINT NOT NULL DEFAULT 0,
    languages      TEXT NOT NULL DEFAULT '["zh-CN"]',
    password_hash  TEXT NOT NULL,
    disabled_at    BIGINT,
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT NOT NULL
);
CREATE INDEX users_committee ON users (committee_id);

-- One-time links that create the first committee and its admin on an empty installation.
CREATE TABLE setup_tokens (
    token_hash  TEXT PRIMARY KEY,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT
);

CREATE TABLE staff_sessions (
    token_hash    TEXT PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);

-- The next case number per committee and year: "(year) 人调字第 N 号".
CREATE TABLE case_counters (
    committee_id  TEXT NOT NULL REFERENCES committees (id),
    year          BIGINT NOT NULL,
    last_seq      BIGINT NOT NULL,
    PRIMARY KEY (committee_id, year)
);

CREATE TABLE cases (
    id            TEXT PRIMARY KEY,
    committee_id  TEXT NOT NULL REFERENCES committees (id),
    year          BIGINT NOT NULL,
    seq           BIGINT NOT NULL,
    dispute_type  TEXT NOT NULL,
    source        TEXT NOT NULL,
    summary       TEXT NOT NULL,
    amount_fen    BIGINT,
    status        TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id),
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    -- The head of the case's event chain, kept here so that an append locks the case row first.
    event_seq     BIGINT NOT NULL DEFAULT 0,
    event_head    TEXT NOT NULL,
    UNIQUE (committee_id, year, seq)
);
CREATE INDEX cases_committee_status ON cases (committee_id, status);

CREATE TABLE case_mediators (
    case_id      TEXT NOT NULL REFERENCES cases (id),
    user_id      TEXT NOT NULL REFERENCES users (id),
    assigned_at  BIGINT NOT NULL,
    PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_mediators_user ON case_mediators (user_id);

CREATE TABLE participants (
    id               TEXT PRIMARY KEY,
    case_id          TEXT NOT NULL REFERENCES cases (id),
    role             TEXT NOT NULL,
    side             TEXT,
    person_kind      TEXT,
    represents       TEXT REFERENCES participants (id),
    name             TEXT NOT NULL,
    contact          TEXT,
    service_address  TEXT,
    created_at       BIGINT NOT NULL,
    removed_at       BIGINT
);
CREATE INDEX participants_case ON participants (case_id);

CREATE TABLE invitations (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id),
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    token_hash      TEXT NOT NULL UNIQUE,
    created_by      TEXT NOT NULL REFERENCES users (id),
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    redeemed_at     BIGINT,
    revoked_at      BIGINT
);
CREATE INDEX invitations_participant ON invitations (participant_id);

-- A redeemed invitation binds one browser to one participant.
CREATE TABLE participant_sessions (
    token_hash      TEXT PRIMARY KEY,
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    invitation_id   TEXT NOT NULL REFERENCES invitations (id),
    created_at      BIGINT NOT NULL,
    last_seen_at    BIGINT NOT NULL
);

-- The case's memory: hash = SHA-256(prev_hash || RFC 8785 canonical JSON of the event).
CREATE TABLE case_events (
    case_id    TEXT NOT NULL REFERENCES cases (id),
    seq        BIGINT NOT NULL,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    kind       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL,
    PRIMARY KEY (case_id, seq)
);
