// Taking back what the schedule granted. When a meeting is cancelled, rooms
// are uninvited, or a room or a user is deactivated, the sites concerned leave
// their live meetings at once, their page saying why (the SFU, through
// Ctx.onSitesRevoked; `kicked` in contract/signaling.ts), and the join tokens
// issued before are refused from then on (joinTokens.grantRefusal, asked on
// every join and resume). Called once the change is committed: a join that
// checked before the commit is caught by the SFU asking again.
import type { SiteRevocation } from '../contract/joinToken.ts';
import type { Ctx } from './context.ts';

export function revokeSites(ctx: Ctx, revocation: SiteRevocation): void {
  ctx.onSitesRevoked?.(revocation);
}

/** After a room was saved: a deactivated room's sites leave every meeting. */
export function revokeIfRoomInactive(ctx: Ctx, room: { id: string; active: boolean }): void {
  if (!room.active) revokeSites(ctx, { roomIds: [room.id], reason: 'deactivated' });
}

/** After a user was saved or deactivated: the sites in with join tokens it asked for leave every meeting. */
export function revokeIfUserInactive(ctx: Ctx, user: { id: string; active: boolean }): void {
  if (!user.active) revokeSites(ctx, { userId: user.id, reason: 'deactivated' });
}
