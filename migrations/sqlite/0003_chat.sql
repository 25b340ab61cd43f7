-- Chat messages of live sessions. The case's event chain records only a SHA-256 of each text,
-- so that an exported record (an agreement package, a court bundle) proves what was said
-- without revealing it, in particular what was said in a caucus (OMR 29).
CREATE TABLE chat_messages (
    id           TEXT PRIMARY KEY,
    case_id      TEXT NOT NULL REFERENCES cases (id),
    session      TEXT NOT NULL,
    member       TEXT NOT NULL,
    room         BIGINT NOT NULL,
    text         TEXT NOT NULL,
    text_sha256  TEXT NOT NULL,
    posted_at    BIGINT NOT NULL
);
CREATE INDEX chat_messages_case ON chat_messages (case_id, posted_at);
