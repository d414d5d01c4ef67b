// A meeting of real WebRTC bots for tests: a chair sending audio and video, and
// sites that send their own and receive the chair's, each group in its own bot
// process (werift cannot make its certificate inside vitest's module runner).

import type { Hub } from '../../hub/Hub.ts';
import { tokenFor } from './hub.ts';
import type { BotConfig } from './werift/BotConfig.ts';
import { BotFleet } from './werift/BotFleet.ts';

export interface BotMeeting {
  chair: BotFleet;
  sites: BotFleet;
  siteConfigs: BotConfig[];
  kill(): void;
}

export async function startBotMeeting(hub: Hub, meetingId: string, siteCount: number): Promise<BotMeeting> {
  const common = { url: hub.url, connectTimeoutMs: 6000, maxTransportAttempts: 4, requestTimeoutMs: 15_000 };
  const claims = { meetingId, maxSites: siteCount + 5, mode: 'discussion' as const };
  const [chair, sites] = await Promise.all([BotFleet.spawn(1), BotFleet.spawn(1)]);
  const meeting = {
    chair,
    sites,
    siteConfigs: [] as BotConfig[],
    kill: () => {
      chair.kill();
      sites.kill();
    },
  };
  chair.start(
    [
      {
        ...common,
        label: 'chair',
        token: await tokenFor(hub, { ...claims, roomId: 'chair-room', role: 'chair', displayName: 'UBND tỉnh' }),
        sendAudio: true,
        sendVideo: { fps: 15, packetsPerFrame: 2, payloadBytes: 900, keyFrameEverySec: 1 },
        consumeChair: false,
      },
    ],
    0,
  );
  const chairJoined = await chair.settled(1, 20_000);
  if (chairJoined.joined !== 1) {
    meeting.kill();
    throw new Error('the chair bot did not join');
  }
  for (let i = 0; i < siteCount; i++) {
    meeting.siteConfigs.push({
      ...common,
      label: `site-${i}`,
      token: await tokenFor(hub, { ...claims, roomId: `room-${i}`, displayName: `UBND xã ${i}` }),
      sendAudio: true,
      sendVideo: { fps: 5, packetsPerFrame: 1, payloadBytes: 600, keyFrameEverySec: 1 },
      consumeChair: true,
    });
  }
  sites.start(meeting.siteConfigs, 0);
  return meeting;
}
