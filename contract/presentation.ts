// Content sharing (trình chiếu): one site at a time shows a screen, a window or
// a browser tab to the whole meeting. The chair always may present; another
// site asks and the chair allows or denies; the chair can stop any
// presentation. The content travels as its own producers ('screen' video and,
// when the browser offers the tab's or system's sound, 'screenAudio'), never in
// place of the camera. Requests, starts and stops go to the meeting's audit
// trail (scheduler/presentationAudit.ts).
import type { ChairActor } from './chairActions.ts';

/** Who presents and who asks to, as every site sees it in MeetingState. */
export interface PresentationState {
  /** The site allowed to present (the chair when it presents); null when nobody does. */
  presenterSiteId: string | null;
  /** Whether the presenter's content is on the air (its 'screen' producer exists). */
  live: boolean;
  /** Sites asking to present, in the order they asked (the chair answers). */
  requests: string[];
}

/** What happened to the meeting's presentation, for its audit trail. */
/** The chair's answers are in the trail as its own actions (`chair.answerPresentation`). */
export type PresentationEventKind = 'requested' | 'withdrawn' | 'started' | 'stopped';

export interface PresentationEvent {
  meetingId: string;
  kind: PresentationEventKind;
  /** The site (and the user behind its token) that acted: the asking or presenting site, or the chair. */
  by: ChairActor;
  /** The site the event is about (the asking or presenting site). */
  siteId: string;
  /** For `stopped`: who ended it (the presenter, the chair, the presenter leaving, another presentation). */
  reason?: 'presenter' | 'chair' | 'left' | 'replaced';
  at: Date;
}
