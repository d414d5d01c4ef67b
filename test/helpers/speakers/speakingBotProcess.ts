// A child process running speaking bots (werift cannot make its certificate
// inside vitest's module runner). Driven over IPC by SpeakingFleet.
import { processDtlsKeys } from '../werift/media.ts';
import { SpeakingBot } from './SpeakingBot.ts';
import type { FromSpeakers, ToSpeakers } from './SpeakingFleet.ts';

if (!process.send) throw new Error('speakingBotProcess.ts must be started with an IPC channel');

const post = (message: FromSpeakers) => process.send?.(message);
const bots = new Map<string, SpeakingBot>();
// One timer sends every bot's 20 ms packet.
const pacer = setInterval(() => {
  for (const bot of bots.values()) bot.tick();
}, 20);

process.on('message', async (message: ToSpeakers) => {
  switch (message.type) {
    case 'start': {
      const keys = await processDtlsKeys();
      for (const config of message.bots) {
        const bot = new SpeakingBot(config, keys);
        bots.set(config.label, bot);
        void bot.start();
      }
      break;
    }
    case 'speak':
      bots.get(message.label)?.speak(message.loud);
      break;
    case 'share': {
      const answer = (ok: boolean, error: string | null) =>
        post({ type: 'answer', seq: message.seq, ok, data: null, error });
      const bot = bots.get(message.label);
      if (!bot) answer(false, `no bot ${message.label}`);
      else
        bot.share().then(
          () => answer(true, null),
          (err: Error) => answer(false, err.message),
        );
      break;
    }
    case 'resetHeard':
      for (const bot of bots.values()) bot.resetHeard();
      break;
    case 'report':
      post({ type: 'report', seq: message.seq, reports: [...bots.values()].map((b) => b.snapshot()) });
      break;
    case 'request': {
      const bot = bots.get(message.label);
      const answer = (ok: boolean, data: unknown, error: string | null) =>
        post({ type: 'answer', seq: message.seq, ok, data, error });
      if (!bot) {
        answer(false, null, `no bot ${message.label}`);
        break;
      }
      bot.request(message.name, message.payload as never).then(
        (data) => answer(true, data, null),
        (err: Error) => answer(false, null, err.message),
      );
      break;
    }
    case 'finish':
      clearInterval(pacer);
      for (const bot of bots.values()) bot.close();
      setTimeout(() => process.exit(0), 200);
      break;
  }
});

process.on('disconnect', () => process.exit(0));
// werift throws from socket callbacks of connections being torn down; keep the other bots running.
process.on('uncaughtException', () => {});
process.on('unhandledRejection', () => {});
post({ type: 'ready' });
