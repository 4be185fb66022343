import type { Refusal } from '../../cycle/refusal.ts';
import { HttpError, type HttpErrorCode } from '../errors.ts';

const codes: Record<Refusal['refused'], HttpErrorCode> = {
  forbidden: 'TONGHOP_ERR_FORBIDDEN',
  not_found: 'TONGHOP_ERR_NOT_FOUND',
  conflict: 'TONGHOP_ERR_CONFLICT',
  approval_blocked: 'TONGHOP_ERR_APPROVAL_BLOCKED',
  unapproval_blocked: 'TONGHOP_ERR_UNAPPROVAL_BLOCKED',
};

/** A reporting-cycle refusal as the HTTP error a client reads, with what to fix in `details`. */
export function refusalError(refusal: Refusal): HttpError {
  return new HttpError(codes[refusal.refused], refusal.details);
}
