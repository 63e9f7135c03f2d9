-- CreateTable
CREATE TABLE "audit_export_redrive" (
    "id" BIGSERIAL NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "exporter_id" TEXT NOT NULL,
    "dead_letter_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "requested_by" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_export_redrive_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_export_redrive_exporter_id_status_id_idx" ON "audit_export_redrive"("exporter_id", "status", "id");

-- CreateIndex
CREATE INDEX "audit_export_redrive_dead_letter_id_idx" ON "audit_export_redrive"("dead_letter_id");

-- One open request per dead letter: asking again while one is pending returns that one.
CREATE UNIQUE INDEX "audit_export_redrive_one_pending" ON "audit_export_redrive"("dead_letter_id") WHERE "status" = 'pending';

ALTER TABLE "audit_export_redrive" ADD CONSTRAINT "audit_export_redrive_status_check" CHECK ("status" IN ('pending', 'delivered', 'failed'));

DO E'
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ''mcpgate_app'') THEN
    GRANT SELECT, INSERT, UPDATE ON audit_export_redrive TO mcpgate_app\073
    GRANT USAGE ON SEQUENCE audit_export_redrive_id_seq TO mcpgate_app\073
  END IF\073
END
';
