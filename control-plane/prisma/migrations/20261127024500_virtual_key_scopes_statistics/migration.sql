-- The scopes of a key are read whole and never searched inside, so the planner needs no statistics
-- on them. ANALYZE of virtual_key spent about half its time sorting sampled jsonb values of this
-- column (0.45 of 0.9 s at 80,000 keys), on every analyze, autovacuum included.
-- (No semicolons in comments: the offline migration runner splits at each.)
ALTER TABLE "virtual_key" ALTER COLUMN "scopes" SET STATISTICS 0;
