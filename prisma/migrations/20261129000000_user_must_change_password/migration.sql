-- Accounts given a generated password (npm run create-admin) must choose their own before anything else.
ALTER TABLE "User" ADD COLUMN "mustChangePassword" BOOLEAN NOT NULL DEFAULT false;
