-- AlterTable
ALTER TABLE "admin_activity" ADD COLUMN     "log_offset" BIGINT NOT NULL,
ADD COLUMN     "log_partition" INTEGER NOT NULL;

-- AlterTable
ALTER TABLE "tenant" ADD COLUMN     "retain_until" TIMESTAMP(3),
ADD COLUMN     "suspended_reason" TEXT;

-- CreateTable
CREATE TABLE "role" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "permissions" TEXT[],
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "role_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "role_binding" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "subject_kind" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "subject" JSONB NOT NULL,
    "role" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "role_binding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "upstream_server" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "credential_id" TEXT,
    "regions" TEXT[],
    "tags" TEXT[],
    "config" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "upstream_server_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "virtual_server" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "prefix_mode" TEXT NOT NULL,
    "anonymous_access" BOOLEAN NOT NULL,
    "server_ids" TEXT[],
    "config" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "virtual_server_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "virtual_key" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_prefix" TEXT NOT NULL,
    "virtual_server_ids" TEXT[],
    "scopes" JSONB NOT NULL,
    "issued_by" JSONB NOT NULL,
    "expires_at" TIMESTAMP(3),
    "rotated_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),
    "revoked_reason" TEXT,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "virtual_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "policy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credential" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "per_user_count" INTEGER NOT NULL,
    "rotated_at" TIMESTAMP(3),
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "credential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quarantined_record" (
    "log_partition" INTEGER NOT NULL,
    "log_offset" BIGINT NOT NULL,
    "key" TEXT NOT NULL,
    "issues" TEXT[],
    "seen_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "quarantined_record_pkey" PRIMARY KEY ("log_partition","log_offset")
);

-- CreateIndex
CREATE INDEX "role_tenant_id_name_idx" ON "role"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "role_binding_tenant_id_subject_key_idx" ON "role_binding"("tenant_id", "subject_key");

-- CreateIndex
CREATE INDEX "upstream_server_tenant_id_name_idx" ON "upstream_server"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "virtual_server_tenant_id_name_idx" ON "virtual_server"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "virtual_key_tenant_id_status_idx" ON "virtual_key"("tenant_id", "status");

-- CreateIndex
CREATE INDEX "policy_tenant_id_name_idx" ON "policy"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "credential_tenant_id_name_idx" ON "credential"("tenant_id", "name");

-- CreateIndex
CREATE INDEX "admin_activity_tenant_id_stream_id_idx" ON "admin_activity"("tenant_id", "stream_id");
