// Structured JSON logs (pino). Tokens, passwords and cookies never reach a log line.
import { type Logger, pino } from 'pino';

export const REDACTED_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } });
}
