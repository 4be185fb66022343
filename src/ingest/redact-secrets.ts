import type { Logger } from 'pino';
import { redactedPaths, requestSerializer } from '../log.ts';

/**
 * The HTTP service's logger: whatever logger it is given (a test's, an embedding program's),
 * bearer tokens, cookies, passwords and a URL's `?token=` come out as `[redacted]`, as from createLogger's.
 */
export function redactSecrets(log: Logger): Logger {
  return log.child(
    {},
    { redact: { paths: redactedPaths, censor: '[redacted]' }, serializers: { req: requestSerializer } },
  );
}
