import type { FastifyRequest } from 'fastify';
import type { Db } from '../db/connect.ts';
import type { Principal } from '../schema/scope.ts';
import { HttpError } from './errors.ts';
import { principalOfToken } from './tokens.ts';

/** The caller of a request, from `Authorization: Bearer TOKEN`; 401 when absent, unknown or revoked. */
export async function requirePrincipal(db: Db, request: FastifyRequest): Promise<Principal> {
  const header = request.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/iu.exec(header);
  if (!match) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
  const principal = await principalOfToken(db, match[1]!);
  if (!principal) throw new HttpError('TONGHOP_ERR_UNAUTHORIZED');
  return principal;
}

/** 403 unless the principal may act for this commune; province scope is checked against every era of the code. */
export async function requireCommuneAccess(db: Db, principal: Principal, communeCode: string): Promise<void> {
  if (principal.level === 'admin') return;
  if (principal.level === 'commune') {
    if (principal.code !== communeCode) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
    return;
  }
  const inProvince = await db
    .selectFrom('admin_unit')
    .select('id')
    .where('level', '=', 'commune')
    .where('code', '=', communeCode)
    .where('province_code', '=', principal.code!)
    .executeTakeFirst();
  if (!inProvince) throw new HttpError('TONGHOP_ERR_FORBIDDEN');
}
