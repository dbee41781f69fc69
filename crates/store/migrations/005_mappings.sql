-- 005: telemetry mappings as model data. Why: how a stream's measured statuses read is part of
-- the model: it is edited with a command and undone like every other edit, travels in the
-- model's JSON, and follows the stages it names (deleting a stage unmaps its statuses). One row
-- per stream, its three lists as tributary/1 JSON. The rows of 004's table move here, less
-- those naming a stream or a stage that no longer exists (earlier versions kept them).
CREATE TABLE mappings (
    stream_id TEXT PRIMARY KEY NOT NULL REFERENCES streams (id) DEFERRABLE INITIALLY DEFERRED,
    ord INTEGER NOT NULL,
    states TEXT NOT NULL,
    stages TEXT NOT NULL,
    types TEXT NOT NULL
) STRICT;

INSERT INTO mappings (stream_id, ord, states, stages, types)
SELECT s.id, s.ord,
    (SELECT json_group_array(json_object('status', m.raw, 'state', m.value) ORDER BY m.ord)
     FROM telemetry_mapping m WHERE m.stream_id = s.id AND m.kind = 'state'),
    (SELECT json_group_array(json_object('status', m.raw, 'stage', m.value) ORDER BY m.ord)
     FROM telemetry_mapping m WHERE m.stream_id = s.id AND m.kind = 'stage'
       AND EXISTS (SELECT 1 FROM stages st WHERE st.stream_id = s.id AND st.id = m.value)),
    (SELECT json_group_array(json_object('item_type', m.raw, 'kind', m.value) ORDER BY m.ord)
     FROM telemetry_mapping m WHERE m.stream_id = s.id AND m.kind = 'type')
FROM streams s
WHERE EXISTS (SELECT 1 FROM telemetry_mapping m WHERE m.stream_id = s.id);

DROP TABLE telemetry_mapping;
