-- Whether the committee counts a case among those its mediation kept from turning into a
-- criminal case (防止民转刑) or into a mass petition (防止群体性上访): figures of its statistics
-- (报表, DOMAIN.md). Set by its staff; each change is an event in the case's chain.
ALTER TABLE cases ADD COLUMN prevented_criminal BIGINT NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN prevented_mass_petition BIGINT NOT NULL DEFAULT 0;
