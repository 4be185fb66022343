import type { Role, ScopeLevel } from '../../schema/database.ts';
import { hasRole, isAdministrator } from '../../schema/roles.ts';
import type { MessageKey } from './client/messages.ts';

/**
 * Who may open a page: anyone (the login page), anyone logged in, province analysts and
 * admins, province approvers (the approve role) and admins, or admins only. The data on a page
 * is guarded again by the API it reads.
 */
export type Access = 'public' | 'person' | 'analyst' | 'approver' | 'admin';

export type PageDef = {
  readonly name: string;
  readonly path: string;
  readonly title: MessageKey;
  readonly access: Access;
};

/** The web pages; each is drawn by the client script `<name>-page.ts`. */
export const pages = [
  { name: 'login', path: '/login', title: 'page.login', access: 'public' },
  { name: 'upload', path: '/upload', title: 'page.upload', access: 'person' },
  { name: 'submissions', path: '/submissions', title: 'page.submissions', access: 'person' },
  { name: 'analyst', path: '/analyst', title: 'page.analyst', access: 'analyst' },
  { name: 'lineage', path: '/lineage', title: 'page.lineage', access: 'analyst' },
  { name: 'quality', path: '/quality', title: 'page.quality', access: 'analyst' },
  { name: 'approver', path: '/approver', title: 'page.approver', access: 'approver' },
  { name: 'status', path: '/status', title: 'page.status', access: 'admin' },
] as const satisfies readonly PageDef[];

/** `roles`: the person's own (SPEC §7); absent, the scope's defaults, which give a province no approve role. */
export function mayOpen(access: Access, level: ScopeLevel, roles?: readonly Role[]): boolean {
  if (access === 'analyst') return level === 'province' || level === 'admin';
  if (access === 'approver') return (level === 'province' || level === 'admin') && hasRole({ level, roles }, 'approve');
  if (access === 'admin') return isAdministrator({ level, roles });
  return true;
}

const navOrder: Record<ScopeLevel, readonly string[]> = {
  commune: ['upload', 'submissions'],
  province: ['analyst', 'quality', 'approver', 'upload', 'submissions'],
  admin: ['status', 'analyst', 'quality', 'approver', 'upload', 'submissions'],
};

/** The pages in a person's menu, the first being where they land after logging in; only those they may open. */
export function navFor(level: ScopeLevel, roles?: readonly Role[]): PageDef[] {
  return navOrder[level]
    .map((name) => pages.find((p) => p.name === name)!)
    .filter((p) => mayOpen(p.access, level, roles));
}
