import { pino, type Logger } from 'pino';

/** Structured JSON logs; credentials never reach them. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'tonghop' },
    redact: { paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'token', 'password'], censor: '[redacted]' },
  });
}
