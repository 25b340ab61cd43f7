-- Supervisors (监督): judicial bureau staff who follow the progress of the committees of a region
-- without reading what was said in their cases. They belong to no committee, so they have their
-- own accounts and sessions; a region covers every committee whose region begins with it.
CREATE TABLE supervisors (
    id             TEXT PRIMARY KEY,
    username       TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    region         TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    disabled_at    BIGINT,
    failed_logins  BIGINT NOT NULL DEFAULT 0,
    locked_until   BIGINT,
    created_at     BIGINT NOT NULL
);

CREATE TABLE supervisor_sessions (
    token_hash     TEXT PRIMARY KEY,
    supervisor_id  TEXT NOT NULL REFERENCES supervisors (id),
    created_at     BIGINT NOT NULL,
    last_seen_at   BIGINT NOT NULL
);
CREATE INDEX supervisor_sessions_supervisor ON supervisor_sessions (supervisor_id);
