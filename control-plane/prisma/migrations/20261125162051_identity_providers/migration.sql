-- CreateTable
CREATE TABLE "identity_provider" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "identity_provider_id" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "jwks_uri" TEXT NOT NULL,
    "audiences" TEXT[],
    "groups_claim" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "identity_provider_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "identity_provider_tenant_id_identity_provider_id_idx" ON "identity_provider"("tenant_id", "identity_provider_id");
