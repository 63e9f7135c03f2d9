-- CreateTable
CREATE TABLE "read_model_index_stash" (
    "index_name" TEXT NOT NULL,
    "table_name" TEXT NOT NULL,
    "definition" TEXT NOT NULL,
    "dropped_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "read_model_index_stash_pkey" PRIMARY KEY ("index_name")
);
