// Structured JSON logs (pino). Tokens, passwords and cookies never reach a log line.
import { type DestinationStream, type Logger, pino } from 'pino';

const REDACTED_PATHS = [
  'token',
  '*.token',
  'password',
  '*.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

interface LoggedRequest {
  method?: string;
  url?: string;
  ip?: string;
}

/** Request lines without their query string: calendar feeds carry a token there. */
function requestSerializer(req: LoggedRequest) {
  return { method: req.method, url: req.url?.split('?')[0], ip: req.ip };
}

/** JSON lines to stdout, or to `destination` (tests read what the hub logged). */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { req: requestSerializer },
  };
  return destination ? pino(options, destination) : pino(options);
}
