-- Judicial confirmation (PML 33; CPL 205-206): the parties' joint application, the bundle sent
-- to the court, its delivery (a transactional outbox) and the court's answers. Projections of
-- the events judicial_confirmation_prepared, judicial_confirmation_filed, court_bundle_delivered
-- and court_answered, written in the same transaction.

-- One row per application. A prepared one may be replaced (another court, another statement)
-- until it is filed; parties consent to the text that names its court (consent 11).
CREATE TABLE judicial_applications (
    id                 TEXT PRIMARY KEY,
    case_id            TEXT NOT NULL REFERENCES cases (id),
    court_id           TEXT NOT NULL,
    court_name         TEXT NOT NULL,
    agreement_version  BIGINT NOT NULL,
    agreement_hash     TEXT NOT NULL,
    -- What the mediator stated (SPC CPL interpretation 2022, art. 355(3), (5)): 0 or 1.
    personal_status    BIGINT NOT NULL,
    ownership          BIGINT NOT NULL,
    status             TEXT NOT NULL,
    prepared_at        BIGINT NOT NULL,
    replaced_at        BIGINT,
    filed_at           BIGINT,
    -- The bundle exactly as filed (base64), so that every delivery sends the same bytes.
    bundle             TEXT,
    bundle_sha256      TEXT UNIQUE,
    court_case_number  TEXT,
    court_reason       TEXT,
    answered_at        BIGINT
);
CREATE INDEX judicial_applications_case ON judicial_applications (case_id, prepared_at);

-- The outbox: one row per filed application, written with the filing. A worker delivers it.
CREATE TABLE court_deliveries (
    application_id  TEXT PRIMARY KEY REFERENCES judicial_applications (id),
    case_id         TEXT NOT NULL REFERENCES cases (id),
    court_id        TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    last_error      TEXT,
    delivered_at    BIGINT
);
CREATE INDEX court_deliveries_pending ON court_deliveries (delivered_at);
