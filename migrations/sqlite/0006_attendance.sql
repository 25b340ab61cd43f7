-- Consent 5 of DOMAIN.md: each party's consent to each invited participant (PML 20) and each
-- observer (PML 23(3)), to the exact text shown; withdrawing sets withdrawn_at, never deletes.
CREATE TABLE attendance_consents (
    id            TEXT PRIMARY KEY,
    case_id       TEXT NOT NULL REFERENCES cases (id),
    party_id      TEXT NOT NULL REFERENCES participants (id),
    attendee_id   TEXT NOT NULL REFERENCES participants (id),
    text_version  TEXT NOT NULL,
    language      TEXT NOT NULL,
    text_hash     TEXT NOT NULL,
    given_at      BIGINT NOT NULL,
    withdrawn_at  BIGINT
);
CREATE INDEX attendance_consents_case ON attendance_consents (case_id, attendee_id);
