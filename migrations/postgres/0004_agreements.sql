-- The mediation agreement (PML 29) and its signing. Every row here is a projection of events
-- in the case's chain (agreement_drafted, agreement_finalised, signer_key_bound,
-- agreement_signed, agreement_sealed), written in the same transaction.

-- Each save of the draft is a new version; `body` is the agreement exactly as it is signed
-- (its canonical JSON), `body_sha256` its hash as the chain records it.
CREATE TABLE agreement_versions (
    case_id       TEXT NOT NULL REFERENCES cases (id),
    version       BIGINT NOT NULL,
    form          TEXT NOT NULL,
    body          TEXT NOT NULL,
    body_sha256   TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    -- Frozen for signing.
    finalised_at  BIGINT,
    -- A later version replaced it after it was frozen: its signatures no longer count.
    voided_at     BIGINT,
    -- The committee's seal went on: the agreement took effect then.
    sealed_at     BIGINT,
    PRIMARY KEY (case_id, version)
);

-- What parties and mediators said about a version. Like chat, only the text's hash is chained.
CREATE TABLE agreement_comments (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    version      BIGINT NOT NULL,
    author       TEXT NOT NULL,
    author_name  TEXT NOT NULL,
    text         TEXT NOT NULL,
    text_sha256  TEXT NOT NULL,
    posted_at    BIGINT NOT NULL
);
CREATE INDEX agreement_comments_case ON agreement_comments (case_id, version, posted_at);

-- A signer's public key, made in their browser (ESL 13(1)-(2)). A party's key counts once a
-- mediator has verified their identity (bound_at); a newer key replaces the older one.
CREATE TABLE signer_keys (
    case_id        TEXT NOT NULL REFERENCES cases (id),
    signer         TEXT NOT NULL,
    public_key     TEXT NOT NULL,
    thumbprint     TEXT NOT NULL,
    registered_at  BIGINT NOT NULL,
    bound_at       BIGINT,
    PRIMARY KEY (case_id, signer)
);

CREATE TABLE agreement_signatures (
    case_id      TEXT NOT NULL REFERENCES cases (id),
    version      BIGINT NOT NULL,
    signer       TEXT NOT NULL,
    role         TEXT NOT NULL,
    name         TEXT NOT NULL,
    public_key   TEXT NOT NULL,
    signature    TEXT NOT NULL,
    signed_at    BIGINT NOT NULL,
    PRIMARY KEY (case_id, version, signer)
);

-- Each committee's Ed25519 seal key (OMR 19), made on first use. The secret is held by the
-- server, as DESIGN.md says; its public half is published at /api/committees/{id}/seal.
CREATE TABLE committee_seal_keys (
    committee_id  TEXT PRIMARY KEY REFERENCES committees (id),
    secret_key    TEXT NOT NULL,
    public_key    TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);
