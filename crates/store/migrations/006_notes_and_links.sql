-- 006: a stage's note and an initiative's scenario. Why: the workshop notes what it says
-- about a stage, and an initiative that a scenario makes real takes its cost of delay from
-- that scenario's business case instead of a number typed twice.
ALTER TABLE stages ADD COLUMN note TEXT;
ALTER TABLE initiatives ADD COLUMN scenario_id TEXT REFERENCES scenarios (id) DEFERRABLE INITIALLY DEFERRED;
