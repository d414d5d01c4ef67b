-- The chair's decisions about a live meeting (sfu/LiveState.ts), as JSON: they survive a hub restart.
ALTER TABLE "Meeting" ADD COLUMN "liveState" TEXT;
