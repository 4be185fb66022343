import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Principal } from '../../schema/scope.ts';
import { isRefusal, type Refusal } from '../../cycle/refusal.ts';
import { vietnamDay } from '../../schema/vietnam-day.ts';
import { requirePrincipal } from '../auth.ts';
import { badRequest, refused, withBody } from '../route-schema.ts';
import { refusalError } from './refusal-error.ts';

/** What an approver's write may answer besides its own outcome. */
export const approverDenied = {
  ...withBody,
  ...badRequest,
  403: refused('without the approve role, or outside the approver’s province'),
  404: refused('no such form, unit or record'),
};

/**
 * An approver's write (lock, exception, approval): the caller must hold the approve role; the
 * instant is read once, so the record's time and Vietnam's day it is judged on agree; a refusal
 * of the cycle becomes its HTTP error.
 */
export async function approverAction<T>(
  deps: Deps,
  request: FastifyRequest,
  act: (principal: Principal, now: Date, day: string) => Promise<T | Refusal>,
): Promise<T> {
  const principal = await requirePrincipal(deps.db, request, 'approve');
  const now = deps.now();
  const result = await act(principal, now, vietnamDay(now));
  if (isRefusal(result)) throw refusalError(result);
  return result;
}
