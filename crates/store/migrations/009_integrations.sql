-- 009: where an integration costs time (issue 20). Why: a nightly batch between two PBCs is
-- wait in a value stream; attached to a stage (or the hand-off into it) its interval, run
-- time and calls per item become part of the stream's lead time. Unattached rows (every
-- integration before this migration) add nothing, so older files keep their numbers.
ALTER TABLE integrations ADD COLUMN interval REAL CHECK (interval > 0);
ALTER TABLE integrations ADD COLUMN calls_per_item REAL CHECK (calls_per_item > 0);
ALTER TABLE integrations ADD COLUMN at_stream TEXT REFERENCES streams (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE integrations ADD COLUMN at_stage TEXT CHECK ((at_stream IS NULL) = (at_stage IS NULL));
ALTER TABLE integrations ADD COLUMN at_after TEXT CHECK (at_after IS NULL OR at_stage IS NOT NULL);
ALTER TABLE integrations ADD COLUMN name TEXT;
