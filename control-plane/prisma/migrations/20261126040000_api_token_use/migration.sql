-- CreateTable
CREATE TABLE "api_token_use" (
    "token_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "service_account_id" TEXT NOT NULL,
    "uses" INTEGER NOT NULL,
    "first_used_at" TIMESTAMP(3) NOT NULL,
    "last_used_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "api_token_use_pkey" PRIMARY KEY ("token_id","day")
);

-- CreateIndex
CREATE INDEX "api_token_use_tenant_id_idx" ON "api_token_use"("tenant_id");
