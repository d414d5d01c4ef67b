// What recording costs: `npx tsx bench/recording.ts --sites 100 [--duration 60]
// [--camera 150/500/1500@30] [--workers 2]` (the load benchmark's options,
// bench/options.ts; --bare and --rounds are not used). A real hub, a meeting of
// N Pion site bots and a chair bot (bench/pion) sending simulcast VP8 and
// opus; the stage moves to a site bot (so the main picture is a piped site's
// camera). Two windows of the same length, without and then with a recording:
// the CPU of the mediasoup workers (per site) and of the recorder's FFmpeg
// processes. Then the recording stops and the post-meeting build's time per
// recorded minute is measured. Writes bench/results/<date>-recording-<N>sites.json
// and prints a summary (docs/performance.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CpuWindow, waitForQuiet } from './cpu.ts';
import { log } from './log.ts';
import { botDefaults, optionsFor, parseLoadCommand } from './options.ts';
import { PionFleet } from './pion/PionFleet.ts';
import type { PionBotConfig } from './pion/types.ts';
import { startDiemcau } from './targets.ts';

const RESULTS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'results');
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const sum = (values: number[]) => values.reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
const round = (n: number) => Math.round(n * 100) / 100;

const command = parseLoadCommand();
const options = optionsFor(command, command.sites[0] ?? 10);
const quiet = await waitForQuiet(options.waitQuietSec);
log(
  `recording bench: ${options.sites} sites, ${options.durationSec} s windows; machine ${quiet.quiet ? 'quiet' : 'busy'}`,
);
const target = await startDiemcau(options);
const hub = target.hub;
if (!hub) throw new Error('the recording bench needs our hub');
const fleets: PionFleet[] = [];
try {
  const [chairFleet, siteFleet] = await Promise.all([PionFleet.spawn(1), PionFleet.spawn(options.botProcesses)]);
  fleets.push(chairFleet, siteFleet);
  const common = { ...botDefaults(options), url: target.url, mosaicPageSize: 0 };
  const chair: PionBotConfig = { ...common, label: 'chair', token: target.tokens.chair.token };
  const sites: PionBotConfig[] = target.tokens.sites
    .slice(0, options.sites)
    .map((t, i) => ({ ...common, label: `site-${i}`, token: t.token }));
  chairFleet.start([chair], 0);
  if ((await chairFleet.settled(1, 30_000)).joined !== 1) throw new Error('the chair bot did not join');
  siteFleet.start(sites, options.joinsPerSec);
  const joined = await siteFleet.settled(options.sites, 60_000 + options.sites * 1000);
  log(`${joined.joined}/${options.sites} sites joined`);
  const meeting = hub.meetings.get(target.tokens.meetingId);
  if (!meeting) throw new Error('the meeting is not open');
  // Someone speaks (the slots carry sound) and a site is on stage (its camera is piped to the recorder's router).
  siteFleet.setSpeaking(['site-0', 'site-1'], true);
  const staged = target.tokens.sites[0]?.roomId ?? null;
  meeting.moderation.setStage(staged);
  await pause(options.settleSec * 1000);

  const workerPids = target.workerPids;
  const measure = async (pids: number[]) => {
    const cpu = new CpuWindow(pids);
    cpu.start();
    await pause(options.durationSec * 1000);
    return cpu.stop();
  };
  const without = await measure(workerPids);
  const sfuWithout = sum(workerPids.map((pid) => without.byPid.get(pid) ?? 0));
  log(`without recording: workers ${round(sfuWithout)} % of a core`);

  const live = await meeting.recording.start(null);
  await pause(5000); // the captures start and get their first key frames
  const recorderPids = meeting.recording.captures().flatMap((c) => (c.pid ? [c.pid] : []));
  const withRec = await measure([...workerPids, ...recorderPids]);
  const sfuWith = sum(workerPids.map((pid) => withRec.byPid.get(pid) ?? 0));
  const recorder = sum(recorderPids.map((pid) => withRec.byPid.get(pid) ?? 0));
  log(`with recording: workers ${round(sfuWith)} %, ${recorderPids.length} recorder processes ${round(recorder)} %`);

  await meeting.recording.stopIfRunning('chair');
  const buildStarted = Date.now();
  await hub.recordingBuilds.idle();
  const buildSec = (Date.now() - buildStarted) / 1000;
  const row = await hub.scheduler.db.recording.findUniqueOrThrow({ where: { id: live.recordingId } });
  const recordedMin = (row.durationMs ?? 0) / 60_000;
  const result = {
    date: new Date().toISOString(),
    options,
    machineQuietBefore: quiet.quiet,
    joined: joined.joined,
    sfuCpuPerSitePct: { without: round(sfuWithout / options.sites), with: round(sfuWith / options.sites) },
    sfuCpuPct: { without: round(sfuWithout), with: round(sfuWith) },
    recorderProcesses: recorderPids.length,
    recorderCpuPct: round(recorder),
    build: {
      status: row.status,
      error: row.error,
      recordedSec: round((row.durationMs ?? 0) / 1000),
      buildSec: round(buildSec),
      buildSecPerRecordedMinute: recordedMin > 0 ? round(buildSec / recordedMin) : null,
      mp4Bytes: Number(row.sizeBytes ?? 0),
    },
    coreBusyPct: withRec.coreBusyPct.map(round),
  };
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(
    RESULTS_DIR,
    `${result.date.slice(0, 10)}-recording-${options.sites}sites${command.tag ? `-${command.tag}` : ''}.json`,
  );
  fs.writeFileSync(command.out ?? file, `${JSON.stringify(result, null, 2)}\n`);
  log(
    `wrote ${path.relative(process.cwd(), command.out ?? file)}: SFU ${result.sfuCpuPerSitePct.without} → ${result.sfuCpuPerSitePct.with} % of a core per site, recorder ${result.recorderCpuPct} % (${result.recorderProcesses} processes), build ${result.build.buildSecPerRecordedMinute} s per recorded minute (${result.build.status})`,
  );
} finally {
  siteFleetKill();
  await target.close();
}

function siteFleetKill(): void {
  for (const fleet of fleets) fleet.kill();
}
process.exit(0);
