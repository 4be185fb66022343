import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import compress from '@fastify/compress';
import multipart from '@fastify/multipart';
import { constants } from 'node:zlib';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import type { Config } from '../config.ts';
import type { Deps } from '../deps.ts';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { HttpError, errorBody, httpErrors } from './errors.ts';
import { ClientLeft } from './client-left.ts';
import { docsRoutes } from './docs/routes.ts';
import { registerOpenapi } from './docs/openapi.ts';
import { bilingualDetails, useZodSchemas } from './route-schema.ts';
import { queueDashboardRoutes } from './admin/queue-dashboard.ts';
import { formRoutes } from './forms/routes.ts';
import { healthRoutes } from './health/routes.ts';
import { metricsRoutes } from './metrics/routes.ts';
import { createRateLimit } from './rate-limit.ts';
import { redactSecrets } from './redact-secrets.ts';
import { jsonHeaders } from './security-headers.ts';
import { replyServiceInterrupted } from './service-interrupted.ts';
import { snapshotRoutes } from './snapshots/routes.ts';
import { submissionRoutes } from './submissions/routes.ts';
import { dueRoutes } from './due/routes.ts';
import { lineageRoutes } from './lineage/routes.ts';
import { reportingRoutes } from './reporting/routes.ts';
import { sessionRoutes } from './session/routes.ts';
import { statusRoutes } from './status/routes.ts';
import { submissionHistoryRoutes } from './submissions/history-routes.ts';
import { validateRoutes } from './validate/routes.ts';
import { webRoutes } from './web/routes.ts';
import { approvalRoutes } from './cycle/approval-routes.ts';
import { auditRoutes } from './cycle/audit-routes.ts';
import { lockRoutes } from './cycle/lock-routes.ts';
import { reportingRateRoutes } from './cycle/reporting-rate-routes.ts';
import { qualityRoutes } from './quality/routes.ts';

/**
 * Which hops' X-Forwarded-* to believe: a count trusts that many hops nearest to us (Fastify
 * trusts none for a bare number), a list trusts those addresses only.
 */
function trustedProxies(
  setting: Config['TRUST_PROXY'],
): false | string[] | ((address: string, hop: number) => boolean) {
  if (typeof setting !== 'number') return setting;
  return (_address, hop) => hop < setting;
}

/** Replies whose client went away before they began: their line is the 499 logClientGone wrote. */
const goneBeforeAnswer = new WeakSet<FastifyReply>();

/**
 * One access line a request, written when it is answered, with what was asked and what was answered:
 * Fastify's "incoming request" and "request completed" lines are two writes to stdout a request, a
 * tenth of what a small read costs the process (issue 22).
 */
class AccessLog extends LogController {
  override incomingRequest() {}
  // A stream the handler began after its client had gone: the request has its line already (logClientGone).
  override streamError(error: Error, request: FastifyRequest, reply: FastifyReply) {
    if (goneBeforeAnswer.has(reply) && (error as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE') return;
    super.streamError(error, request, reply);
  }
  override requestCompleted(error: Error | null, request: FastifyRequest, reply: FastifyReply) {
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error) reply.log.error({ ...line, err: error }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

/**
 * The access line of a request whose client went away before it was answered (a check of a large
 * archive abandoned, a page left): Fastify writes its line when the answer is finished, which this
 * one never is. Written when the connection closes, as 499 (nginx's "client closed request"), so
 * that the operator's log has every request. An answer cut off while streaming has Fastify's own
 * `stream closed prematurely` line instead; a stream begun after the 499 has none (AccessLog).
 */
function logClientGone(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
  reply.raw.once('close', () => {
    if (reply.raw.headersSent) return;
    goneBeforeAnswer.add(reply);
    request.log.info(
      { req: request, res: { statusCode: 499 }, responseTime: reply.elapsedTime },
      'request ended: the client went away',
    );
  });
  done();
}

/**
 * The HTTP application as a function of its dependencies; it listens nowhere (server.ts does), so
 * tests inject requests. `/metrics` is served when a metrics registry is given.
 */
export async function buildApp(deps: Deps, ops: { metrics?: Registry } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: redactSecrets(deps.log) as FastifyBaseLogger,
    bodyLimit: deps.config.MAX_FILE_BYTES + 1024 * 1024,
    trustProxy: trustedProxies(deps.config.TRUST_PROXY),
    logController: new AccessLog(),
  });
  // A file over the size limit is cut and refused by name (readUpload), not thrown: the request's other files go on.
  // Route schemas are zod (route-schema.ts): they check requests, type handlers and make /docs.
  useZodSchemas(app);
  await registerOpenapi(app);
  await app.register(multipart, {
    limits: {
      fileSize: deps.config.MAX_FILE_BYTES,
      files: deps.config.MAX_UPLOAD_FILES,
      fields: deps.config.MAX_UPLOAD_FIELDS,
    },
    throwFileSizeLimit: false,
  });

  app.setErrorHandler((error, request, reply) => {
    if (error instanceof HttpError) return reply.code(error.status).send(errorBody(error));
    if (error instanceof ClientLeft) return reply.code(499).send();
    if (isDatabaseUnavailable(error)) return replyServiceInterrupted(request, reply, error);
    const e = error as { statusCode?: number; code?: string; validation?: unknown };
    if (e.code === 'FST_REQ_FILE_TOO_LARGE' || e.statusCode === 413)
      return reply.code(413).send(errorBody(new HttpError('TONGHOP_ERR_FILE_TOO_LARGE')));
    if (e.code === 'FST_INVALID_MULTIPART_CONTENT_TYPE' || e.statusCode === 415)
      return reply.code(415).send(errorBody(new HttpError('TONGHOP_ERR_NOT_MULTIPART')));
    if (hasZodFastifySchemaValidationErrors(error)) {
      const details = bilingualDetails(error.validation, error.validationContext, request);
      return reply.code(400).send(errorBody(new HttpError('TONGHOP_ERR_BAD_REQUEST', details)));
    }
    if (e.validation || (e.statusCode !== undefined && e.statusCode >= 400 && e.statusCode < 500)) {
      return reply.code(e.statusCode ?? 400).send({
        error: {
          code: 'TONGHOP_ERR_BAD_REQUEST',
          message: httpErrors.TONGHOP_ERR_BAD_REQUEST.message,
          details: (error as Error).message,
        },
      });
    }
    request.log.error({ err: error }, 'request failed');
    return reply.code(500).send({
      error: {
        code: 'TONGHOP_ERR_INTERNAL',
        message: { vi: 'Lỗi hệ thống, hãy thử lại sau.', en: 'Internal error; try again later.' },
      },
    });
  });

  // Answers go compressed to a client that asks (Accept-Encoding): a commune office on a mountain 3G
  // link waits for bytes, not for our CPU. Measured on a national history (bench:analyst): a big
  // province's figures as JSON 187 KB → 10 KB, its lineage 375 → 46 KB, the national commune CSV
  // 11.5 → 1.0 MB, for 0.2 CPU s more per national export (zlib's thread pool). gzip first: as small
  // as brotli at its streaming quality here, and quicker. Only text and JSON: spreadsheets are ZIPs
  // already, a stored report is sent back byte for byte under its sha256 ETag, and the pages and
  // their assets come compressed (web/routes.ts). Request bodies are never inflated: an upload's
  // limits count the bytes as sent.
  await app.register(compress, {
    encodings: ['gzip', 'br'],
    customTypes: /^(?:text\/|application\/(?:[\w.-]+\+)?json\b)/u,
    globalDecompression: false,
    brotliOptions: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  app.addHook('onRequest', logClientGone);
  const rateLimit = createRateLimit(deps.config, deps.queues.prefix, deps.db);
  app.addHook('onRequest', rateLimit.hook);
  app.addHook('onSend', jsonHeaders);
  app.addHook('onClose', rateLimit.close);

  await app.register(healthRoutes(deps));
  await app.register(docsRoutes());
  await app.register(formRoutes(deps));
  await app.register(submissionRoutes(deps));
  await app.register(snapshotRoutes(deps));
  await app.register(queueDashboardRoutes(deps));
  if (ops.metrics) await app.register(metricsRoutes(ops.metrics, deps.config.METRICS_TOKEN));
  // The web pages and what they read (issue 9).
  await app.register(sessionRoutes(deps));
  await app.register(validateRoutes(deps));
  await app.register(submissionHistoryRoutes(deps));
  await app.register(dueRoutes(deps));
  await app.register(reportingRoutes(deps));
  await app.register(lineageRoutes(deps));
  await app.register(statusRoutes(deps));
  // The reporting cycle (SPEC §7).
  await app.register(lockRoutes(deps));
  await app.register(approvalRoutes(deps));
  await app.register(auditRoutes(deps));
  await app.register(reportingRateRoutes(deps));
  await app.register(qualityRoutes(deps));
  await app.register(webRoutes(deps));
  return app;
}
