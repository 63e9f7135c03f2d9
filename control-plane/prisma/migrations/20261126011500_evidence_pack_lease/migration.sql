-- AlterTable
ALTER TABLE "evidence_pack" ADD COLUMN     "heartbeat_at" TIMESTAMPTZ(3),
ADD COLUMN     "owner" TEXT;
