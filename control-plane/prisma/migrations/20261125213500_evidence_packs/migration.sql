-- CreateTable
CREATE TABLE "evidence_pack" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "framework" TEXT NOT NULL,
    "period_from" TIMESTAMPTZ(3) NOT NULL,
    "period_to" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL,
    "progress" JSONB NOT NULL,
    "requested_by" JSONB NOT NULL,
    "error" TEXT,
    "sha256" TEXT,
    "bytes" INTEGER,
    "archive" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "evidence_pack_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "evidence_pack_tenant_id_created_at_idx" ON "evidence_pack"("tenant_id", "created_at");
