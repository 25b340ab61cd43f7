-- Return visits (回访) after an agreement takes effect: one per term, due on the term's
-- deadline (a China calendar day, YYYY-MM-DD), and what was found. The note's text stays here;
-- the chain records its SHA-256, like the other kept texts.
CREATE TABLE follow_up_visits (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases (id),
    agreement_version  BIGINT NOT NULL,
    term               BIGINT NOT NULL,
    due_on             TEXT NOT NULL,
    visited_at         BIGINT,
    performance        TEXT,
    satisfaction       TEXT,
    note               TEXT,
    recorded_by        TEXT
);
CREATE INDEX follow_up_visits_case ON follow_up_visits (case_id, term);
CREATE INDEX follow_up_visits_due ON follow_up_visits (due_on);
