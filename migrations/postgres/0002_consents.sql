-- Consents (DOMAIN.md): one row each time a participant gives one, to the exact text shown
-- (its version, language and SHA-256); withdrawing sets withdrawn_at, never deletes.
CREATE TABLE consents (
    id              TEXT PRIMARY KEY,
    case_id         TEXT NOT NULL REFERENCES cases (id),
    participant_id  TEXT NOT NULL REFERENCES participants (id),
    kind            TEXT NOT NULL,
    text_version    TEXT NOT NULL,
    language        TEXT NOT NULL,
    text_hash       TEXT NOT NULL,
    channel         TEXT NOT NULL,
    given_at        BIGINT NOT NULL,
    withdrawn_at    BIGINT
);
CREATE INDEX consents_participant ON consents (participant_id, kind);
CREATE INDEX consents_case ON consents (case_id);
