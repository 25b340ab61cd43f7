-- Screening rounds (矛盾纠纷排查): a committee goes looking for disputes before they are
-- brought to it, and counts the rounds and the disputes found for its statistics (报表,
-- DOMAIN.md). A committee's record, not a case's.
CREATE TABLE screenings (
    id              TEXT PRIMARY KEY,
    committee_id    TEXT NOT NULL REFERENCES committees (id),
    held_on         TEXT NOT NULL,
    disputes_found  BIGINT NOT NULL,
    note            TEXT,
    recorded_by     TEXT NOT NULL REFERENCES users (id),
    recorded_at     BIGINT NOT NULL
);
CREATE INDEX screenings_committee ON screenings (committee_id, held_on);
