import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { csrfTokenOf } from '../../accounts/sessions.ts';
import type { Deps } from '../../deps.ts';
import type { FormCatalog } from '../../forms/form-catalog.ts';
import { scopeCovers } from '../../schema/scope.ts';
import { recentQuarters } from '../../schema/recent-quarters.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { scopeTargetOf } from '../../units/scope-target.ts';
import { requireCommuneAccess, sessionOfRequest } from '../auth.ts';
import { errorBody, HttpError } from '../errors.ts';
import { readCookie } from '../cookies.ts';
import type { BootData } from './client/boot-data.ts';
import { langCookieName, translate, type Lang } from './client/messages.ts';
import { buildAssets, type Asset } from './assets.ts';
import { mayOpen, navFor, pages, type PageDef } from './pages.ts';
import { escapeHtml, renderShell } from './shell.ts';

/** Only our own files, and no framing: the pages work on an intranet with nothing from elsewhere. */
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src " +
    "'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

function acceptsEncoding(request: FastifyRequest, encoding: 'br' | 'gzip'): boolean {
  return new RegExp(`(^|[\\s,])${encoding}(;q=(?!0(\\.0*)?\\b)[\\d.]+)?($|[\\s,])`, 'u').test(
    String(request.headers['accept-encoding'] ?? ''),
  );
}

function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset) {
  reply
    .header('content-type', asset.type)
    .header('cache-control', 'public, max-age=31536000, immutable')
    .header('vary', 'accept-encoding')
    .header('x-content-type-options', 'nosniff');
  if (acceptsEncoding(request, 'br')) return reply.header('content-encoding', 'br').send(asset.br);
  if (acceptsEncoding(request, 'gzip')) return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}

/** A page is made per request (it carries the person and their CSRF token), so it is compressed per request, quickly. */
function sendHtml(request: FastifyRequest, reply: FastifyReply, status: number, html: string) {
  reply
    .code(status)
    .headers(securityHeaders)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'accept-encoding, cookie');
  if (acceptsEncoding(request, 'br'))
    return reply
      .header('content-encoding', 'br')
      .send(brotliCompressSync(html, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }));
  if (acceptsEncoding(request, 'gzip')) return reply.header('content-encoding', 'gzip').send(gzipSync(html));
  return reply.send(html);
}

function langOf(request: FastifyRequest): Lang {
  return readCookie(request.headers.cookie, langCookieName) === 'en' ? 'en' : 'vi';
}

/** The forms a page offers (pick-lists, charts), as the catalog serves them now: each form's indicators of every version, the newest version's name first. */
function bootFormsOf(catalog: FormCatalog): BootData['forms'] {
  return catalog.list().map((f) => {
    const versions = catalog
      .versions()
      .filter((v) => v.code === f.code)
      .reverse();
    const indicators = new Map<string, { code: string; name: { vi: string; en: string }; rate: boolean }>();
    for (const v of [f, ...versions])
      for (const i of v.indicators)
        if (!indicators.has(i.code))
          indicators.set(i.code, { code: i.code, name: i.name, rate: i.denominator !== undefined });
    return { code: f.code, title: f.title, indicators: [...indicators.values()] };
  });
}

/**
 * The web pages (SPEC §5), served by the ingest process itself from assets built at startup from
 * src/ingest/web/client. A page is only a frame; what it shows comes from the /v1 API, which
 * checks scope again, so editing a URL reaches nothing the API would not give.
 */
/** What a page's address may say about whom it is for: checked here as by the API behind it. */
const pageQuery = z.looseObject({ commune: z.string().optional(), province: z.string().optional() });
const assetParams = z.object({ version: z.string(), file: z.string() });

export function webRoutes(deps: Deps) {
  const routes: FastifyPluginAsyncZod = async (app) => {
    const assets = await buildAssets();

    app.get('/assets/:version/:file', { schema: { params: assetParams } }, async (request, reply) => {
      const { version, file } = request.params;
      const asset = version === assets.version ? assets.files.get(file) : undefined;
      if (!asset)
        return reply
          .code(404)
          .header('cache-control', 'no-store')
          .send({ error: { code: 'TONGHOP_ERR_NOT_FOUND' } });
      return sendAsset(request, reply, asset);
    });

    /** The name a person's scope goes by in the header: "Xã Nậm Tin (03156)". The newest era's name, as a code can be reused. */
    const scopeName = async (level: string, code: string | null): Promise<string | null> => {
      if (!code) return null;
      const unit = await deps.db
        .selectFrom('admin_unit')
        .select('name')
        .where('level', '=', level === 'commune' ? 'commune' : 'province')
        .where('code', '=', code)
        .orderBy('valid_from', 'desc')
        .executeTakeFirst();
      return unit ? `${unit.name} (${code})` : code;
    };

    const personOf = async (session: Awaited<ReturnType<typeof sessionOfRequest>>): Promise<BootData['user']> =>
      session
        ? {
            username: session.username,
            level: session.principal.level,
            code: session.principal.code,
            roles: session.principal.roles,
            scopeName: await scopeName(session.principal.level, session.principal.code),
          }
        : null;

    const page =
      (def: PageDef) =>
      async (request: FastifyRequest<{ Querystring: z.infer<typeof pageQuery> }>, reply: FastifyReply) => {
        const lang = langOf(request);
        const session = await sessionOfRequest(deps.db, request);
        const home = session ? navFor(session.principal.level, session.principal.roles)[0]!.path : '/login';
        if (def.access === 'public') {
          if (session) return reply.redirect(home);
        } else if (!session) {
          return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`);
        }
        const boot: BootData = {
          lang,
          page: def.name,
          user: await personOf(session),
          csrf: session ? csrfTokenOf(session.id) : null,
          quarters: recentQuarters(vietnamDay(deps.now()), 8, 'current'),
          forms: bootFormsOf(deps.forms),
        };

        // A page for another unit is refused here, with a page that says so, as well as by the API behind it.
        const q = request.query;
        let allowed = !session || mayOpen(def.access, session.principal.level, session.principal.roles);
        if (allowed && session && q.commune !== undefined)
          allowed = await requireCommuneAccess(deps.db, session.principal, q.commune, vietnamDay(deps.now())).then(
            () => true,
            () => false,
          );
        if (allowed && session && q.province !== undefined) {
          const target = await scopeTargetOf(deps.db, { level: 'province', code: q.province }, vietnamDay(deps.now()));
          allowed = target !== null && scopeCovers(session.principal, target);
        }
        if (!allowed) {
          const forbidden = { name: def.name, path: def.path, title: 'page.forbidden', access: def.access } as const;
          const text = escapeHtml(translate(lang, 'forbidden.text', { user: session!.username }));
          const message = `<div class="notice error" role="alert"><p>${text}</p></div><p><a href="${home}">${escapeHtml(translate(lang, 'app.home'))}</a></p>`;
          return sendHtml(
            request,
            reply,
            403,
            renderShell({ page: forbidden, boot, assets, script: 'error-page', message }),
          );
        }
        return sendHtml(request, reply, 200, renderShell({ page: def, boot, assets, script: `${def.name}-page` }));
      };
    for (const def of pages) app.get(def.path, { schema: { querystring: pageQuery } }, page(def));

    // A browser that follows a wrong link gets a page in its person's language; a program keeps its JSON.
    app.setNotFoundHandler(async (request, reply) => {
      const wantsHtml =
        request.method === 'GET' &&
        /\btext\/html\b/u.test(String(request.headers.accept ?? '')) &&
        !request.url.startsWith('/v1/');
      if (!wantsHtml) return reply.code(404).send(errorBody(new HttpError('TONGHOP_ERR_NOT_FOUND')));
      const lang = langOf(request);
      const session = await sessionOfRequest(deps.db, request);
      const home = session ? navFor(session.principal.level, session.principal.roles)[0]!.path : '/login';
      const boot: BootData = {
        lang,
        page: 'not-found',
        user: await personOf(session),
        csrf: session ? csrfTokenOf(session.id) : null,
        quarters: [],
        forms: [],
      };
      const notFound = { name: 'not-found', path: request.url, title: 'page.notFound', access: 'public' } as const;
      const message =
        `<div class="notice" role="status"><p>${escapeHtml(translate(lang, 'notFound.text'))}</p></div><p><a ` +
        `href="${home}">${escapeHtml(translate(lang, 'app.home'))}</a></p>`;
      return sendHtml(
        request,
        reply,
        404,
        renderShell({ page: notFound, boot, assets, script: 'error-page', message }),
      );
    });

    app.get('/', async (request, reply) => {
      const session = await sessionOfRequest(deps.db, request);
      return reply.redirect(session ? navFor(session.principal.level, session.principal.roles)[0]!.path : '/login');
    });
  };
  return routes;
}
