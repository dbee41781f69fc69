-- 010: named versions and merge conflicts (issue 16). Why: a user keeps snapshots of the model
-- ("Before the workshop", "Board pack v1") in the file, compares them and restores one as one
-- undo step; a merge keeps, in the file it writes, the conflicts it settled for ours, so that
-- the app can show them and resolve them one by one. A version is the whole model as canonical
-- tributary/1 JSON, read back through the same checks as an imported file; a conflict is the
-- merge's JSON record. Neither is part of the model, so undo does not touch them.
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> '' AND length(name) <= 200),
    -- RFC 3339, given by the caller (the engine reads no clock)
    created_at TEXT NOT NULL,
    author TEXT,
    model TEXT NOT NULL
) STRICT;

CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    -- what the merge was, for people: "Merge of theirs.tributary"
    merge TEXT NOT NULL,
    record TEXT NOT NULL
) STRICT;
