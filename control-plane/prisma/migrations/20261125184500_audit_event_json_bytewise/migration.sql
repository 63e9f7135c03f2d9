-- The audit trail's ingest cost (control-plane/src/audit/README.md, "Performance"), measured with
-- bench/audit-ingest.ts: converting each event to jsonb was about half of PostgreSQL's CPU per
-- appended record, and collation-aware text comparisons in the indexes a fifth.
--
-- 1. `event` is kept as json: the exact canonical (RFC 8785) text the record hash covers, so
--    anyone can hash a row's event as stored. Queries read fields with the json operators.
-- 2. Identifier columns in indexes compare bytewise (COLLATE "C"): tenant ids, principal kinds,
--    key ids, subjects and tool names are identifiers, not natural-language text.
-- ALTER TABLE rewrites the table (the append-only triggers fire on UPDATE, DELETE and TRUNCATE
-- only), and the privileges of mcpgate_app are kept. (No semicolons in comments: the offline migration runner splits at each.)
ALTER TABLE "audit_event"
  ALTER COLUMN "event" TYPE JSON USING "event"::json,
  ALTER COLUMN "tenant_id" TYPE TEXT COLLATE "C",
  ALTER COLUMN "principal_kind" TYPE TEXT COLLATE "C",
  ALTER COLUMN "principal_key_id" TYPE TEXT COLLATE "C",
  ALTER COLUMN "principal_subject" TYPE TEXT COLLATE "C",
  ALTER COLUMN "tool" TYPE TEXT COLLATE "C";

ALTER TABLE "audit_checkpoint" ALTER COLUMN "tenant_id" TYPE TEXT COLLATE "C";

ALTER TABLE "audit_retention" ALTER COLUMN "tenant_id" TYPE TEXT COLLATE "C";
