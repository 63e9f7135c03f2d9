-- AlterTable
ALTER TABLE "admin_activity" ADD COLUMN     "after" JSONB,
ADD COLUMN     "before" JSONB;

-- CreateIndex
CREATE INDEX "admin_activity_tenant_id_type_time_idx" ON "admin_activity"("tenant_id", "type", "time");

-- CreateTable
CREATE TABLE "admin_session" (
    "id_hash" TEXT NOT NULL,
    "principal" JSONB NOT NULL,
    "end_session_url" TEXT,
    "created_at" TIMESTAMP(3) NOT NULL,
    "last_seen_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "absolute_expires_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "admin_session_pkey" PRIMARY KEY ("id_hash")
);

-- CreateIndex
CREATE INDEX "admin_session_expires_at_idx" ON "admin_session"("expires_at");
