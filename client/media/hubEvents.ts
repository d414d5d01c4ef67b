// Where each of the hub's events goes on the page: peers and producers to the
// store and the remote media, the socket's loss and return to Recovery, the
// hub's demand for our media to the local media and presenting, the chat to its
// log; what is the connection's own (the meeting, ourselves, being put out, the
// chair's notices) back to MeetingConnection.
import type { ServerEvents } from '../../contract/signaling.ts';
import type { MeetingStore } from '../meeting/MeetingStore.ts';
import type { LocalMedia } from './LocalMedia.ts';
import type { MeetingChat } from './MeetingChat.ts';
import type { Presenting } from './Presenting.ts';
import type { Recovery } from './Recovery.ts';
import type { RemoteMedia } from './RemoteMedia.ts';
import type { SignalingSocket } from './SignalingChannel.ts';

type Payload<E extends keyof ServerEvents> = Parameters<ServerEvents[E]>[0];

export interface HubEventTargets {
  store: MeetingStore;
  remote: RemoteMedia;
  recovery: Recovery;
  local: LocalMedia;
  presenting: Presenting;
  chat: MeetingChat;
  /** The socket dropped: no longer in the meeting on it. */
  lost(): void;
  meetingUpdated(meeting: Payload<'meetingUpdated'>['meeting']): void;
  selfUpdated(peer: Payload<'selfUpdated'>['peer']): void;
  kicked(e: Payload<'kicked'>): void;
  recordingFault(e: Payload<'recordingFault'>): void;
  roomCall(e: Payload<'roomCall'>): void;
}

/** Routes a socket just opened (the first, or one to another hub) to its targets. */
export function routeHubEvents(socket: SignalingSocket, to: HubEventTargets): void {
  const { store, remote, recovery } = to;
  socket.on('disconnect', (reason) => {
    to.lost();
    recovery.socketLost(reason);
  });
  socket.on('connect', () => recovery.socketBack());
  socket.on('peerJoined', ({ peer }) => store.peerJoined(peer));
  socket.on('peerUpdated', ({ peer }) => store.peerUpdated(peer));
  socket.on('peerLeft', ({ peerId, reason }) => {
    store.peerLeft(peerId, reason);
    if (reason !== 'replaced') remote.dropPeer(peerId);
  });
  socket.on('newProducer', (p) => remote.addProducer(p));
  socket.on('producerPaused', ({ producerId }) => remote.producerPaused(producerId, true));
  socket.on('producerResumed', ({ producerId }) => remote.producerPaused(producerId, false));
  socket.on('producerClosed', ({ producerId }) => remote.removeProducer(producerId));
  socket.on('consumerClosed', ({ producerId }) => remote.removeProducer(producerId));
  socket.on('activeSpeaker', ({ peerId }) => store.setActiveSpeaker(peerId));
  socket.on('audioLevels', ({ levels }) => store.setLevels(levels));
  socket.on('meetingUpdated', ({ meeting }) => to.meetingUpdated(meeting));
  socket.on('selfUpdated', ({ peer }) => to.selfUpdated(peer));
  socket.on('kicked', (e) => to.kicked(e));
  socket.on('mediaDemand', ({ producerId, wanted }) => {
    to.local.setDemand(producerId, wanted);
    to.presenting.setDemand(producerId, wanted);
  });
  socket.on('mediaReset', () => void recovery.rebuild());
  socket.on('audioSlots', ({ slots }) => remote.setSlots(slots));
  socket.on('chatMessage', ({ message }) => to.chat.hear([message]));
  socket.on('recordingFault', (e) => to.recordingFault(e));
  socket.on('roomCall', (e) => to.roomCall(e));
}
