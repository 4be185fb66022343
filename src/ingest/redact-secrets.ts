import type { Logger } from 'pino';

/**
 * Where a request's credentials can show up in what fastify and its plugins log: besides the
 * request itself, @fastify/multipart logs busboy's options, every header included, at trace level.
 */
export const secretLogPaths = ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.headers.authorization', '*.headers.cookie'];

/** The HTTP service's logger: whatever logger it is given, bearer tokens and cookies come out as `[redacted]`. */
export function redactSecrets(log: Logger): Logger {
  return log.child({}, { redact: { paths: secretLogPaths, censor: '[redacted]' } });
}
