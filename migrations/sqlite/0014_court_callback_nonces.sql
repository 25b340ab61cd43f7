-- A court's callback carries the time it was signed and a nonce, both under its signature. A
-- nonce is kept here once its callback is recorded, so that the same signed callback sent again
-- (a replay) is refused and records nothing. Rows older than the time window a callback is
-- accepted in can no longer be replayed (their time is refused first) and are pruned.
CREATE TABLE court_callback_nonces (
    court_id    TEXT NOT NULL,
    nonce       TEXT NOT NULL,
    issued_at   BIGINT NOT NULL,
    PRIMARY KEY (court_id, nonce)
);
CREATE INDEX court_callback_nonces_issued ON court_callback_nonces (issued_at);
