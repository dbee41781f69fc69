-- 003: simulation inputs. Why: the simulator draws stage times from distributions, limits
-- WIP and sends failed items back; streams say how items arrive. Both are optional and kept
-- as tributary/1 JSON, as the exchange format spells them.
ALTER TABLE stages ADD COLUMN uncertainty TEXT;
ALTER TABLE streams ADD COLUMN arrivals TEXT;
