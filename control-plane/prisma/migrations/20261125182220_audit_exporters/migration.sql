-- CreateTable
CREATE TABLE "audit_export_cursor" (
    "exporter_id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "cursor_seq" BIGINT NOT NULL,
    "delivered" BIGINT NOT NULL DEFAULT 0,
    "last_delivery_at" TIMESTAMPTZ(3),
    "last_error_at" TIMESTAMPTZ(3),
    "last_error" TEXT,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "owner" TEXT,
    "lease_until" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_export_cursor_pkey" PRIMARY KEY ("exporter_id")
);

-- CreateTable
CREATE TABLE "audit_export_dead_letter" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "exporter_id" TEXT NOT NULL,
    "from_seq" BIGINT NOT NULL,
    "through_seq" BIGINT NOT NULL,
    "events" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL,
    "error" TEXT NOT NULL,
    "first_failed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_export_dead_letter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_export_cursor_tenant_id_idx" ON "audit_export_cursor"("tenant_id");

-- CreateIndex
CREATE INDEX "audit_export_dead_letter_tenant_id_exporter_id_created_at_idx" ON "audit_export_dead_letter"("tenant_id", "exporter_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "audit_export_dead_letter_exporter_id_from_seq_key" ON "audit_export_dead_letter"("exporter_id", "from_seq");

-- The exporters role reads audit_event (SELECT is granted by the audit trail's migration) and keeps
-- its own delivery state here. Dead letters are evidence of a gap at the receiver: append-only for
-- the application role, like the trail itself.
DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''mcpgate_app'') THEN
    GRANT SELECT, INSERT, UPDATE ON audit_export_cursor TO mcpgate_app\073
    GRANT SELECT, INSERT ON audit_export_dead_letter TO mcpgate_app\073
    GRANT USAGE ON SEQUENCE audit_export_dead_letter_id_seq TO mcpgate_app\073
  END IF\073
END
';
