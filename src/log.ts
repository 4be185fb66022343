import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

/**
 * Paths whose values never reach a log line: tokens, passwords, cookies, and settings that may
 * carry them. `*.headers`: @fastify/multipart logs busboy's options, every header included, at trace.
 */
export const redactedPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
  'token',
  '*.token',
  'password',
  '*.password',
  'TONGHOP_TOKEN',
  '*.TONGHOP_TOKEN',
];

/** A URL fit for a log line: a `token` query parameter and a password in the authority are masked. */
export function redactUrl(url: string): string {
  const masked = url.replace(/([?&]token=)[^&#]*/giu, '$1[redacted]');
  return masked.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*:)[^/@]*@/iu, '$1[redacted]@');
}

/** Fastify's own request serializer, but a URL's `?token=` (the dashboard's link) is never logged. */
export const requestSerializer = (req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) => ({
  method: req.method,
  url: req.url === undefined ? undefined : redactUrl(req.url),
  host: req.host,
  remoteAddress: req.ip,
  remotePort: req.socket?.remotePort,
});

/** Structured JSON logs; credentials never reach them. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'tonghop' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      serializers: {
        req: requestSerializer,
        err: stdSerializers.err,
      },
    },
    destination,
  );
}
