-- Accounts given a generated password (npm run create-admin) must choose their own before anything else.
-- PostgreSQL counterpart of migration.sql, written by `npm run db:postgres-migrations` (prisma/postgres/counterparts.ts):
-- the DDL between the schema before and after migration.sql. The hub applies it at start, in one transaction.

-- AlterTable
ALTER TABLE "User" ADD COLUMN     "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
