-- 008: what an exchange file held beyond the model. Why: a model imported from an ArchiMate
-- exchange file or Archi's CSV keeps every element, relationship, property and view that
-- Tributary does not model, and writes them back on export, so that a file goes
-- Archi -> Tributary -> Archi without loss (issue 17). One row: the kept document as JSON.
CREATE TABLE interchange (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    -- archimate or archi-csv: what the model came from
    source_format TEXT NOT NULL,
    kept TEXT NOT NULL
) STRICT;
