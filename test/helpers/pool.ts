// A worker pool on loopback with its own port block, and a process probe.
import { pino } from 'pino';
import { WorkerPool } from '../../sfu/WorkerPool.ts';
import { rtcPortBlock } from './ports.ts';

export function newTestPool(count: number, portOffset = 0): WorkerPool {
  const ports = rtcPortBlock(portOffset);
  return new WorkerPool({
    count,
    portBase: ports.base,
    transportPortRange: [ports.transportMin, ports.transportMax],
    listenIp: '127.0.0.1',
    announcedAddress: '127.0.0.1',
    logLevel: 'warn',
    log: pino({ level: 'silent' }),
  });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
