-- FerretDB v1's PostgreSQL backend pushes an equality filter down as
--   _jsonb -> 'field' @> 'value'
-- but creates each MongoDB index as a btree on (_jsonb -> 'field'), which cannot serve `@>`:
-- every pushed-down lookup, even by _id, is a sequential scan (~50 ms at 100,000 documents).
-- Here every such btree index gets a GIN twin on its leading field, which does serve `@>`, so
-- equality lookups on an index's leading field become index scans (DESIGN.md §4); as with a
-- compound btree, the other fields of the filter are checked on the rows that lookup found. Local and test clusters only; applied by
-- scripts/services-up.sh on every start (idempotent). fastupdate is off: a pending list would
-- be scanned linearly by every lookup after a bulk insert.

-- Creates the GIN twin of one index (nothing unless it is a btree on `_jsonb -> 'field'`).
CREATE OR REPLACE FUNCTION ferretdb_gin_twin(idx oid) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  tbl regclass;
  field text;
BEGIN
  SELECT i.indrelid::regclass INTO tbl
    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
   WHERE i.indexrelid = idx AND a.amname = 'btree';
  IF tbl IS NULL THEN RETURN; END IF;
  field := substring(pg_get_indexdef(idx) FROM '\(\(_jsonb -> ''([A-Za-z0-9_]+)''::text\)');
  IF field IS NULL THEN RETURN; END IF;
  EXECUTE format(
    'CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L)) WITH (fastupdate = off)',
    left((SELECT relname FROM pg_class WHERE oid = tbl), 40) || '_' || left(md5(field), 8) || '_gin',
    tbl, field);
END
$$;

CREATE OR REPLACE FUNCTION ferretdb_gin_twins() RETURNS event_trigger
LANGUAGE plpgsql AS $$
DECLARE
  cmd record;
BEGIN
  FOR cmd IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM ferretdb_gin_twin(cmd.objid);
  END LOOP;
END
$$;

DO $$
DECLARE
  idx oid;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_event_trigger WHERE evtname = 'ferretdb_gin_twins') THEN
    CREATE EVENT TRIGGER ferretdb_gin_twins ON ddl_command_end
      WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION ferretdb_gin_twins();
  END IF;
  -- Indexes made before the trigger existed (a cluster from an earlier checkout).
  FOR idx IN SELECT indexrelid FROM pg_index WHERE pg_get_indexdef(indexrelid) LIKE '%(_jsonb -> %' LOOP
    PERFORM ferretdb_gin_twin(idx);
  END LOOP;
END
$$;
