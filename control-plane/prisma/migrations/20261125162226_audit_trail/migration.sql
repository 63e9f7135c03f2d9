-- CreateTable
CREATE TABLE "audit_event" (
    "tenant_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "event_id" UUID NOT NULL,
    "time" TIMESTAMPTZ(3) NOT NULL,
    "region" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "principal_kind" TEXT NOT NULL,
    "principal_key_id" TEXT,
    "principal_issuer" TEXT,
    "principal_subject" TEXT,
    "virtual_server_id" TEXT,
    "upstream_server_id" TEXT,
    "tool" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "policy_log_position" TEXT NOT NULL,
    "event" JSONB NOT NULL,
    "prev_hash" BYTEA NOT NULL,
    "hash" BYTEA NOT NULL,
    "mac" BYTEA NOT NULL,
    "mac_key_id" TEXT NOT NULL,

    CONSTRAINT "audit_event_pkey" PRIMARY KEY ("tenant_id","seq")
);

-- CreateTable
CREATE TABLE "audit_checkpoint" (
    "tenant_id" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,
    "head_hash" BYTEA NOT NULL,
    "signed_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,

    CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("tenant_id","seq")
);

-- CreateTable
CREATE TABLE "audit_retention" (
    "tenant_id" TEXT NOT NULL,
    "from_seq" BIGINT NOT NULL,
    "through_seq" BIGINT NOT NULL,
    "anchor_hash" BYTEA NOT NULL,
    "before" TIMESTAMPTZ(3) NOT NULL,
    "deleted_at" TIMESTAMPTZ(3) NOT NULL,
    "key_id" TEXT NOT NULL,
    "signature" BYTEA NOT NULL,

    CONSTRAINT "audit_retention_pkey" PRIMARY KEY ("tenant_id","through_seq")
);

-- CreateTable
CREATE TABLE "audit_quarantine" (
    "id" BIGSERIAL NOT NULL,
    "source" TEXT NOT NULL,
    "kafka_topic" TEXT,
    "kafka_partition" INTEGER,
    "kafka_offset" BIGINT,
    "kafka_key" TEXT,
    "raw" BYTEA NOT NULL,
    "error" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_quarantine_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "audit_event_event_id_key" ON "audit_event"("event_id");

-- CreateIndex
CREATE INDEX "audit_event_tenant_id_time_idx" ON "audit_event"("tenant_id", "time");

-- CreateIndex
CREATE INDEX "audit_event_tenant_id_principal_kind_principal_key_id_princ_idx" ON "audit_event"("tenant_id", "principal_kind", "principal_key_id", "principal_subject", "time");

-- CreateIndex
CREATE INDEX "audit_event_tenant_id_tool_time_idx" ON "audit_event"("tenant_id", "tool", "time");

-- CreateIndex
CREATE INDEX "audit_quarantine_received_at_idx" ON "audit_quarantine"("received_at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_quarantine_kafka_topic_kafka_partition_kafka_offset_key" ON "audit_quarantine"("kafka_topic", "kafka_partition", "kafka_offset");

-- ---------------------------------------------------------------------------------------------
-- Append-only audit trail (src/audit/README.md, "Append-only in the database").
--
-- The function bodies below are E'...' strings in which every statement terminator is written
-- \073 (the octal escape of the semicolon) and quotes are doubled: the offline migration runner
-- (scripts/prisma, through adapter-pg's executeScript) splits a script at every semicolon, even
-- inside $$-quoted bodies and comments, so this file has none except between statements.
-- Read \073 as a semicolon.
-- ---------------------------------------------------------------------------------------------

-- Refuses UPDATE, DELETE and TRUNCATE on the audit tables. The one exception is a DELETE of
-- audit_event rows inside audit_apply_retention(), which announces the range it deletes in the
-- transaction-local setting mcpgate.audit_retention = '<tenant id> <through seq>'.
CREATE FUNCTION "audit_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS E'
DECLARE
  allowed text := coalesce(current_setting(''mcpgate.audit_retention'', true), '''')\073
BEGIN
  IF TG_OP = ''DELETE'' AND TG_TABLE_NAME = ''audit_event'' AND allowed <> '''' THEN
    IF OLD.tenant_id = split_part(allowed, '' '', 1) AND OLD.seq <= split_part(allowed, '' '', 2)::bigint THEN
      RETURN OLD\073
    END IF\073
  END IF\073
  RAISE EXCEPTION ''% on % refused: the audit trail is append-only'', TG_OP, TG_TABLE_NAME
    USING ERRCODE = ''insufficient_privilege'',
          HINT = ''expired events are deleted in whole ranges by audit_apply_retention()''\073
END
';

CREATE TRIGGER "audit_event_append_only" BEFORE UPDATE OR DELETE ON "audit_event"
  FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_event_no_truncate" BEFORE TRUNCATE ON "audit_event"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_checkpoint_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoint"
  FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_checkpoint_no_truncate" BEFORE TRUNCATE ON "audit_checkpoint"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_retention_append_only" BEFORE UPDATE OR DELETE ON "audit_retention"
  FOR EACH ROW EXECUTE FUNCTION "audit_refuse_change"();
CREATE TRIGGER "audit_retention_no_truncate" BEFORE TRUNCATE ON "audit_retention"
  FOR EACH STATEMENT EXECUTE FUNCTION "audit_refuse_change"();

-- Retention: deletes events p_from_seq..p_through_seq of a tenant and records the deletion, in
-- one transaction. It enforces what makes a deletion verifiable, whoever calls it: the range
-- starts right after the previous deletion (or at seq 1), ends at a checkpoint (whose head hash
-- anchors the remaining chain), holds only events older than p_before, and is complete (a range
-- with missing rows is evidence of tampering and is kept). SECURITY DEFINER, so the application
-- role needs no DELETE privilege. Its search_path is pinned to the schema it was created in.
-- The signature (Ed25519 over the retention record, made by the control plane) is checked by
-- verification, not here.
CREATE FUNCTION "audit_apply_retention"(
  p_tenant_id text, p_from_seq bigint, p_through_seq bigint, p_before timestamptz,
  p_deleted_at timestamptz, p_key_id text, p_signature bytea
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS E'
DECLARE
  anchor bytea\073
  expected_from bigint\073
  deleted bigint\073
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(''audit_apply_retention''), hashtext(p_tenant_id))\073
  SELECT head_hash INTO anchor FROM audit_checkpoint WHERE tenant_id = p_tenant_id AND seq = p_through_seq\073
  IF anchor IS NULL THEN
    RAISE EXCEPTION ''tenant % has no checkpoint at seq %: a retention range must end at a checkpoint'', p_tenant_id, p_through_seq
      USING ERRCODE = ''check_violation''\073
  END IF\073
  SELECT coalesce(max(through_seq), 0) + 1 INTO expected_from FROM audit_retention WHERE tenant_id = p_tenant_id\073
  IF p_from_seq <> expected_from OR p_through_seq < p_from_seq THEN
    RAISE EXCEPTION ''retention of tenant % must delete seq % onwards, asked for % to %'', p_tenant_id, expected_from, p_from_seq, p_through_seq
      USING ERRCODE = ''check_violation''\073
  END IF\073
  IF EXISTS (SELECT 1 FROM audit_event WHERE tenant_id = p_tenant_id AND seq BETWEEN p_from_seq AND p_through_seq AND "time" >= p_before) THEN
    RAISE EXCEPTION ''events % to % of tenant % are not all older than %'', p_from_seq, p_through_seq, p_tenant_id, p_before
      USING ERRCODE = ''check_violation''\073
  END IF\073
  PERFORM set_config(''mcpgate.audit_retention'', p_tenant_id || '' '' || p_through_seq::text, true)\073
  DELETE FROM audit_event WHERE tenant_id = p_tenant_id AND seq BETWEEN p_from_seq AND p_through_seq\073
  GET DIAGNOSTICS deleted = ROW_COUNT\073
  PERFORM set_config(''mcpgate.audit_retention'', '''', true)\073
  IF deleted <> p_through_seq - p_from_seq + 1 THEN
    RAISE EXCEPTION ''tenant % has % of the % events % to %: refusing to delete a range with missing events'', p_tenant_id, deleted, p_through_seq - p_from_seq + 1, p_from_seq, p_through_seq
      USING ERRCODE = ''check_violation''\073
  END IF\073
  INSERT INTO audit_retention (tenant_id, from_seq, through_seq, anchor_hash, "before", deleted_at, key_id, signature)
    VALUES (p_tenant_id, p_from_seq, p_through_seq, anchor, p_before, p_deleted_at, p_key_id, p_signature)\073
  RETURN deleted\073
END
';

-- Privileges. PUBLIC never had UPDATE/DELETE/TRUNCATE: say so explicitly, and keep the retention
-- function for roles it is granted to. Where the deployment runs the application as its own role
-- `mcpgate_app` (created before this migration, which runs as the owner), that role may
-- read and append, and delete only through audit_apply_retention(). With a single role (PGlite,
-- or one PostgreSQL user that also owns the tables) the triggers are the only guard, and tampering
-- is caught by verification instead (hash chain, record MACs, signed checkpoints).
REVOKE UPDATE, DELETE, TRUNCATE ON "audit_event", "audit_checkpoint", "audit_retention" FROM PUBLIC;
REVOKE ALL ON FUNCTION "audit_apply_retention"(text, bigint, bigint, timestamptz, timestamptz, text, bytea) FROM PUBLIC;
DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''mcpgate_app'') THEN
    GRANT SELECT, INSERT ON audit_event, audit_checkpoint, audit_retention, audit_quarantine TO mcpgate_app\073
    REVOKE UPDATE, DELETE, TRUNCATE ON audit_event, audit_checkpoint, audit_retention FROM mcpgate_app\073
    GRANT USAGE ON SEQUENCE audit_quarantine_id_seq TO mcpgate_app\073
    GRANT EXECUTE ON FUNCTION audit_apply_retention(text, bigint, bigint, timestamptz, timestamptz, text, bytea) TO mcpgate_app\073
  END IF\073
END
';
