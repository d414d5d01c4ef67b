// POST /api/rooms/:id/tech-check: an endpoint room's pre-join check
// (client/components/PreJoinCheck.tsx) reported to the hub, so the
// administrator's rooms screen can say how each room's equipment last fared.

/** What the browser found: each part working or not, and the round trip to the hub when it was reached. */
export interface TechCheckResult {
  camera: boolean;
  microphone: boolean;
  network: boolean;
  serverRttMs: number | null;
}

/** A stored check, with when the hub received it (ISO). */
export interface TechCheckReport extends TechCheckResult {
  at: string;
}
