// Presenting in a meeting that spans hubs: the home hub holds who asks and
// who may present (sfu/Presentation.ts). A site of an edge hub asking to
// present, withdrawing, or ending its presentation is asked of the home
// (`presentRequest`, `presentStop`), which acts for its RemoteSite as for its
// own sites: the request shows on the chair's board, the chair's grant, refusal
// or stop changes the decisions, and the edges take them with the replica
// (the requests and the presenter; sfu/span/SpanEdge.ts), where a site that
// lost the grant has its content closed. The content itself crosses the pipe
// like a camera.
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer } from '../Peer.ts';
import type { PresentationAtHome } from '../Presentation.ts';
import { answerAtHome, askHome, type HomeAnswer } from './AskHome.ts';
import type { HubBus, SpanEnvelope } from './HubBus.ts';
import type { PresentRequest, PresentStopRequest } from './messages.ts';

class EdgePresenting implements PresentationAtHome {
  constructor(
    private readonly bus: HubBus,
    private readonly homeHubId: string,
    private readonly meetingId: string,
  ) {}

  request(site: Peer, requested: boolean): Promise<void> {
    const body: PresentRequest = { siteId: site.id, requested };
    return askHome(this.bus, this.homeHubId, this.meetingId, 'presentRequest', body);
  }

  stop(site: Peer): Promise<void> {
    const body: PresentStopRequest = { siteId: site.id };
    return askHome(this.bus, this.homeHubId, this.meetingId, 'presentStop', body);
  }
}

/** The meeting's presentation follows its hub's part: asked of the home on an edge, held here on the home. */
export function presentingAcrossHubs(meeting: MeetingRoom, bus: HubBus, homeHubId: string | null): void {
  meeting.presentation.atHome = homeHubId === null ? null : new EdgePresenting(bus, homeHubId, meeting.id);
}

/** An edge's site asks to present, withdraws, or stops; undefined for a message that is not about presenting. */
export function presentingAtHome(
  meeting: MeetingRoom,
  { from, type, body }: SpanEnvelope,
): Promise<HomeAnswer<unknown>> | undefined {
  if (type === 'presentRequest') {
    const { siteId, requested } = body as PresentRequest;
    return answerAtHome(meeting, from, siteId, (site) => meeting.presentation.request(site, requested));
  }
  if (type === 'presentStop') {
    return answerAtHome(meeting, from, (body as PresentStopRequest).siteId, (site) => meeting.presentation.stop(site));
  }
  return undefined;
}
