import type { Logger } from 'pino';
import { redactedPaths } from '../log.ts';

/**
 * The HTTP service's logger: whatever logger it is given (a test's, an embedding program's),
 * bearer tokens, cookies and passwords come out as `[redacted]`, as from createLogger's.
 */
export function redactSecrets(log: Logger): Logger {
  return log.child({}, { redact: { paths: redactedPaths, censor: '[redacted]' } });
}
