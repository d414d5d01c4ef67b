-- Accounts signing in through the province's directory (LDAP or OpenID Connect) besides local passwords.
ALTER TABLE "User" ADD COLUMN "authSource" TEXT NOT NULL DEFAULT 'local';
ALTER TABLE "User" ADD COLUMN "externalId" TEXT;
ALTER TABLE "User" ADD COLUMN "directoryDisabledAt" DATETIME;
CREATE UNIQUE INDEX "User_authSource_externalId_key" ON "User"("authSource", "externalId");
