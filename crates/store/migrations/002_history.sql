-- 002: edit history. Why: undo and redo survive closing the app and a crash, and the CLI,
-- the app and the tests share them. Each row is one user action as the deltas it made.
CREATE TABLE history (
    seq INTEGER PRIMARY KEY,
    label TEXT NOT NULL,
    deltas TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0 CHECK (undone IN (0, 1))
) STRICT;
