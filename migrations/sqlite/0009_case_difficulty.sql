-- Whether the committee counts a case as difficult or complex (疑难复杂), a figure of its
-- statistics (报表). Set by its staff; each change is an event in the case's chain.
ALTER TABLE cases ADD COLUMN difficult BIGINT NOT NULL DEFAULT 0;
