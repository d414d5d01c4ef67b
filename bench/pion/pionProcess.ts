// A driver process: one Go media engine and the socket.io signaling of the
// bots whose media it carries, apart from the harness so that the bots' CPU
// (this process and its engine) is measured apart from the hub's. Driven by
// PionFleet over IPC (ipc.ts); started with `node --import tsx` and the
// engine binary in PION_ENGINE_BINARY.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { processCpuSeconds } from '../cpu.ts';
import { Engine, type EngineStats } from './engine.ts';
import type { BotProgress, FromDriver, ToDriver } from './ipc.ts';
import { type EngineLink, PionBot } from './PionBot.ts';
import { addCounters, addMessages, emptyCounters } from './types.ts';

if (!process.send) throw new Error('pionProcess.ts must be started with an IPC channel (child_process.fork)');
const binary = process.env.PION_ENGINE_BINARY;
if (!binary) throw new Error('PION_ENGINE_BINARY is not set');

const send = (message: FromDriver) => process.send?.(message);
const fatal = (err: Error) => send({ type: 'fatal', message: err.stack ?? err.message });
const bots: PionBot[] = [];
const owners = new Map<string, PionBot>();
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let progressTimer: NodeJS.Timeout | undefined;

const engine = await Engine.start(binary, {
  onTransportState: (id, state) => owners.get(id)?.onTransportState(id, state),
  onReceiving: (id) => owners.get(id)?.onReceiving(id),
  onFirstPacket: (id) => owners.get(id)?.onFirstPacket(id),
  onError: (message, transportId) => console.error(`[pion engine] ${transportId ?? ''} ${message}`),
  onExit: (code, signal) => fatal(new Error(`the Pion engine exited (code ${code}, signal ${signal})`)),
});
const link: EngineLink = {
  engine,
  own: (id, bot) => owners.set(id, bot),
  disown: (id) => owners.delete(id),
};

function progress(): BotProgress {
  const p: BotProgress = { started: bots.length, joined: 0, failed: 0, receiving: 0, transportRetries: 0 };
  for (const bot of bots) {
    if (bot.result.joined) p.joined++;
    else if (bot.result.error) p.failed++;
    if (bot.result.firstMediaMs !== null) p.receiving++;
    p.transportRetries += bot.result.transportRetries;
  }
  return p;
}

async function start(message: Extract<ToDriver, { type: 'start' }>): Promise<void> {
  progressTimer ??= setInterval(() => send({ type: 'progress', ...progress() }), 1000);
  for (const config of message.bots) {
    const bot = new PionBot(config, link);
    bots.push(bot);
    bot.start().catch(() => {
      // Recorded in bot.result.error; reported with the results.
    });
    if (message.joinIntervalMs > 0) await new Promise((r) => setTimeout(r, message.joinIntervalMs));
  }
  send({ type: 'progress', ...progress() });
}

async function snapshot(seq: number): Promise<void> {
  const stats: EngineStats = await engine.stats();
  const usage = process.cpuUsage();
  send({
    type: 'snapshot',
    seq,
    counters: bots.reduce((sum, bot) => addCounters(sum, bot.counters(stats)), emptyCounters()),
    driverCpuMicros: usage.user + usage.system,
    engineCpuMicros: Math.round((processCpuSeconds(engine.pid) ?? 0) * 1e6),
    at: Date.now(),
    loopDelayP99Ms: Math.round(loopDelay.percentile(99) / 1e4) / 100,
    bots: bots.length,
    targetSendPps: bots.reduce((sum, bot) => sum + bot.targetSendPps(), 0),
    goroutines: stats.goroutines,
    messages: addMessages(bots.map((bot) => bot.result.messages)),
    unknownPackets: stats.unknownPackets,
    decryptErrors: stats.decryptErrors,
    received: bots.map((bot) => {
      const c = bot.counters(stats);
      return {
        label: bot.config.label,
        audio: c.audio.packets,
        video: c.video.packets,
        sentVideoBytes: c.sentVideoBytes,
        mediaResets: bot.result.mediaResets,
        receiveStreams: bot.receiveStreams(),
      };
    }),
  });
  loopDelay.reset();
}

async function finish(): Promise<void> {
  clearInterval(progressTimer);
  const stats = await engine
    .stats()
    .catch((): EngineStats => ({ streams: {}, receivers: {}, goroutines: 0, unknownPackets: 0, decryptErrors: 0 }));
  for (const bot of bots) {
    bot.finalise(stats);
    bot.close();
  }
  await engine.stop();
  send({ type: 'results', results: bots.map((b) => b.result) });
  // Let the IPC message flush, then leave (socket.io clients keep the loop alive otherwise).
  setTimeout(() => process.exit(0), 300);
}

process.on('message', (message: ToDriver) => {
  switch (message.type) {
    case 'start':
      start(message).catch(fatal);
      break;
    case 'speaking':
      for (const bot of bots) if (message.labels.includes(bot.config.label)) bot.setSpeaking(message.speaking);
      break;
    case 'console':
      for (const bot of bots) bot.runConsole(message.run);
      break;
    case 'snapshot':
      snapshot(message.seq).catch(fatal);
      break;
    case 'finish':
      finish().catch(fatal);
      break;
  }
});

process.on('disconnect', () => {
  engine.kill();
  process.exit(0);
});
send({ type: 'ready', driverPid: process.pid, enginePid: engine.pid });
