-- A room's calendar-feed link can be replaced: its token signs this generation, which rotating increments.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "EndpointRoom" ADD COLUMN     "feedGeneration" INTEGER NOT NULL DEFAULT 0;
