// The chat of a meeting that spans hubs: one chat, the home hub's (numbered,
// stored and checked there, sfu/Chat.ts). A site of an edge hub sends through
// its hub to the home (`chatSend`), and reads the history there
// (`chatHistory`), so a late joiner on any hub gets the same history; every
// message the home delivers goes once to each edge hub that has a site
// allowed to see it (`chatMessage`: a private message only to its
// addressee's hub), which delivers it to those sites. Messages from the home
// reach an edge in the order they were numbered (the bus keeps one hub's
// order, and the home delivers one message at a time).
import { type ChatMessage, chatVisibleTo } from '../../contract/chat.ts';
import type { ChatAtHome } from '../Chat.ts';
import type { MeetingRoom } from '../MeetingRoom.ts';
import type { Peer } from '../Peer.ts';
import { answerAtHome, askHome, type HomeAnswer } from './AskHome.ts';
import type { HubBus, SpanEnvelope } from './HubBus.ts';
import type { ChatHistoryRequest, ChatMessageNotice, ChatSendRequest } from './messages.ts';
import { RemoteSite } from './RemoteSite.ts';

/** An edge's chat: the home's, asked for each message and history. */
class EdgeChat implements ChatAtHome {
  constructor(
    private readonly bus: HubBus,
    private readonly homeHubId: string,
    private readonly meetingId: string,
  ) {}

  send(site: Peer, text: string, privateSiteId: string | null): Promise<ChatMessage> {
    const request: ChatSendRequest = { siteId: site.id, userId: site.userId, text, privateSiteId };
    return askHome(this.bus, this.homeHubId, this.meetingId, 'chatSend', request);
  }

  history(site: Peer): Promise<ChatMessage[]> {
    const request: ChatHistoryRequest = { siteId: site.id };
    return askHome(this.bus, this.homeHubId, this.meetingId, 'chatHistory', request);
  }
}

/** The meeting's chat follows its hub's part: asked of the home on an edge, told to the edges on the home. */
export function chatAcrossHubs(meeting: MeetingRoom, bus: HubBus, homeHubId: string | null): void {
  const { chat } = meeting;
  chat.atHome = homeHubId === null ? null : new EdgeChat(bus, homeHubId, meeting.id);
  chat.onDelivered = homeHubId === null ? (message) => tellEdges(meeting, bus, message) : null;
}

/** The edge hubs with a site that may see the message, each told once. */
function tellEdges(meeting: MeetingRoom, bus: HubBus, message: ChatMessage): void {
  const hubs = new Set<string>();
  for (const site of meeting.sites.values()) {
    if (site instanceof RemoteSite && chatVisibleTo(message, site.id, site.isChair)) hubs.add(site.hubId);
  }
  const notice: ChatMessageNotice = { message };
  for (const hubId of hubs) bus.tell(hubId, meeting.id, 'chatMessage', notice);
}

/** An edge's site sends a message or reads the history; undefined for a message that is not the chat's. */
export function chatAtHome(
  meeting: MeetingRoom,
  { from, type, body }: SpanEnvelope,
): Promise<HomeAnswer<unknown>> | undefined {
  if (type === 'chatSend') {
    const { siteId, userId, text, privateSiteId } = body as ChatSendRequest;
    return answerAtHome(meeting, from, siteId, (site) => {
      site.userId = userId; // its hub knows who asked for its token; the message names them
      return meeting.chat.send(site, text, privateSiteId);
    });
  }
  if (type === 'chatHistory') {
    return answerAtHome(meeting, from, (body as ChatHistoryRequest).siteId, (site) => meeting.chat.history(site));
  }
  return undefined;
}

/** The home delivered a message: to this edge's sites that may see it. */
export function chatAtEdge(meeting: MeetingRoom, { type, body }: SpanEnvelope): Promise<void> | undefined {
  if (type !== 'chatMessage') return undefined;
  meeting.chat.deliver((body as ChatMessageNotice).message);
  return Promise.resolve();
}
