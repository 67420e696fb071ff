import { type DestinationStream, type Logger as PinoLogger, pino } from 'pino';

export type Logger = PinoLogger;
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface CreateLoggerOptions {
  service: string;
  level?: LogLevel | string;
  /** Where lines go; stdout by default. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

// Secrets can sit at the top of a log object, in a nested object (`req.headers`) or one deeper.
const secretKeys = [
  'authorization',
  'cookie',
  '"set-cookie"',
  'password',
  'old_password',
  'new_password',
  'password2',
  'token',
  'refresh',
  'access',
  'access_token',
  'refresh_token',
];
export const redactedPaths = secretKeys.flatMap((key) => {
  const member = key.startsWith('"') ? `[${key}]` : `.${key}`;
  return [key.startsWith('"') ? `[${key}]` : key, `*${member}`, `*.*${member}`];
});

/** pino JSON lines with the service name on every line and secrets replaced by "[redacted]". */
export function createLogger({ service, level = 'info', destination }: CreateLoggerOptions): Logger {
  const options = {
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: redactedPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
