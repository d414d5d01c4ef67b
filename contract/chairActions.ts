// What the chair did from its console, as the SFU tells the scheduler so the
// meeting's audit trail shows it: which request, with what, from which chair
// room, and the user who asked for that room's join token when known.
import type { ChairRequestName } from './signaling.ts';

/** Who acted: the chairing site, and the user behind its join token (null when the token named none). */
export interface ChairActor {
  roomId: string;
  userId: string | null;
}

export interface ChairAction {
  meetingId: string;
  by: ChairActor;
  /** The chair-only signaling request that succeeded (ending the meeting and recording have their own entries). */
  request: Exclude<ChairRequestName, 'endMeeting' | 'startRecording' | 'stopRecording'>;
  /** Its payload, and what it answered when that says more (how many sites `muteAll` muted). */
  details: Record<string, unknown>;
  at: Date;
}
