import { pino } from 'pino';
import { BuildJob } from './hub/recordingBuild/BuildJob.ts';
const t = Date.now();
const job = new BuildJob({ recordingsDir: '/tmp/rb', recordingId: process.argv[2] as string, ffmpegPath: 'ffmpeg', ffprobePath: 'ffprobe', log: pino(), onProgress: (f) => console.log('progress', f) });
job.run().then((r) => console.log('built', r, Date.now() - t, 'ms'), (e) => console.log('failed', e.message, Date.now() - t));
