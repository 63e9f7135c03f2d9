-- CreateTable
CREATE TABLE "user_account" (
    "issuer" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "idp_id" TEXT NOT NULL,
    "display_name" TEXT,
    "groups" TEXT[],
    "first_seen_at" TIMESTAMP(3) NOT NULL,
    "last_login_at" TIMESTAMP(3) NOT NULL,
    "login_count" INTEGER NOT NULL,

    CONSTRAINT "user_account_pkey" PRIMARY KEY ("issuer","subject")
);
