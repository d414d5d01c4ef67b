// A child process running a share of the bots (werift cannot make its
// certificate inside vitest's module runner). Driven by the parent over IPC
// (see ipc.ts); started with `node --import tsx`.
import { Bot } from './Bot.ts';
import type { BotProgress, FromBots, ToBots } from './ipc.ts';
import { Pacer, processDtlsKeys } from './media.ts';

if (!process.send) throw new Error('botProcess.ts must be started with an IPC channel (child_process.fork)');

const send = (message: FromBots) => process.send?.(message);
const pacer = new Pacer();
const bots: Bot[] = [];
let progressTimer: NodeJS.Timeout | undefined;

function progress(): BotProgress {
  let joined = 0;
  let failed = 0;
  let receiving = 0;
  let transportRetries = 0;
  for (const bot of bots) {
    if (bot.result.joined) joined++;
    else if (bot.result.error) failed++;
    if (bot.result.firstMediaMs !== null) receiving++;
    transportRetries += bot.result.transportRetries;
  }
  return { started: bots.length, joined, failed, receiving, transportRetries };
}

async function start(message: Extract<ToBots, { type: 'start' }>): Promise<void> {
  const keys = await processDtlsKeys();
  progressTimer = setInterval(() => send({ type: 'progress', ...progress() }), 1000);
  for (const config of message.bots) {
    const bot = new Bot(config, keys, pacer);
    bots.push(bot);
    bot.start().catch(() => {
      // Recorded in bot.result.error; reported with the results.
    });
    if (message.joinIntervalMs > 0) await new Promise((r) => setTimeout(r, message.joinIntervalMs));
  }
  send({ type: 'progress', ...progress() });
}

process.on('message', (message: ToBots) => {
  switch (message.type) {
    case 'start':
      start(message).catch((err: Error) => send({ type: 'fatal', message: err.stack ?? err.message }));
      break;
    case 'snapshot': {
      send({
        type: 'snapshot',
        seq: message.seq,
        received: bots.map((bot) => {
          const c = bot.counters();
          return {
            label: bot.config.label,
            audio: c.audio.packets,
            video: c.video.packets,
            mediaResets: bot.result.mediaResets,
          };
        }),
      });
      break;
    }
    case 'sendLoss':
      for (const bot of bots) if (bot.config.label === message.label) bot.setSendLoss(message.ratio);
      break;
    case 'finish': {
      clearInterval(progressTimer);
      for (const bot of bots) bot.close();
      pacer.stop();
      send({ type: 'results', results: bots.map((b) => b.result) });
      // Let the IPC message flush, then leave (werift keeps sockets open otherwise).
      setTimeout(() => process.exit(0), 300);
      break;
    }
  }
});

process.on('disconnect', () => process.exit(0));
process.on('uncaughtException', (err) => {
  // werift throws from socket callbacks of connections being torn down; keep the other bots running.
  if (process.env.BOT_DEBUG) console.error('[bots] uncaught', err);
});
process.on('unhandledRejection', (err) => {
  if (process.env.BOT_DEBUG) console.error('[bots] unhandled rejection', err);
});
send({ type: 'ready', pid: process.pid });
