-- When a mediator checked that an agent's power of attorney gives special authority to settle
-- and sign the mediation agreement for their principal (特别授权). Projection of the chain's
-- signing_authority_verified event; an agent without it does not sign.
ALTER TABLE participants ADD COLUMN signing_authority_at BIGINT;
