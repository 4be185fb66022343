import type { onSendHookHandler } from 'fastify';

/**
 * Every JSON answer: not kept by a browser or a proxy cache (it may hold a commune's figures or a
 * CSRF token; a route that means to be cached says so itself), and never sniffed as another type.
 */
export const jsonHeaders: onSendHookHandler = async (_request, reply, payload) => {
  if (/^application\/(?:[\w.+-]+\+)?json\b/iu.test(String(reply.getHeader('content-type') ?? ''))) {
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    reply.header('x-content-type-options', 'nosniff');
  }
  return payload;
};

/**
 * The queue dashboard's pages (bull-board): its own scripts only (its one inline script is JSON
 * data, which CSP does not run), inline styles (its components set them), and no framing, so
 * another site cannot lay it under a click.
 */
export const dashboardHeaders: onSendHookHandler = async (_request, reply, payload) => {
  reply
    .header(
      'content-security-policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src " +
        "'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'",
    )
    .header('x-frame-options', 'DENY')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer');
  return payload;
};
