import './messages-approver.ts';
import { api } from './api.ts';
import type { Period } from './api-types.ts';
import { communeTable, upperApprovals } from './approval-tables.ts';
import { noticeBox, onRedraw } from './approver-action.ts';
import { controls } from './approver-controls.ts';
import { warningsByCommune } from './approver-quality.ts';
import { form, givenPeriod, province } from './approver-state.ts';
import { summary } from './approver-summary.ts';
import { history, views } from './approver-views.ts';
import { auditSection } from './audit-section.ts';
import { t as ta } from './boot.ts';
import { appRoot, drawPage, initChrome, markReady } from './chrome.ts';
import { fill, h } from './dom.ts';
import { exceptionsSection } from './lock-exceptions.ts';
import { overPeriods } from './over-periods.ts';

/**
 * The province approver's page (SPEC §7): reporting and on-time rates by commune and over
 * periods; approval from commune to province, with reasons; marking a commune missing; locking a
 * period; lock exceptions; the province's audit log; the data-quality warnings of the period
 * (SPEC §8), shown beside each commune and summed up above the approvals, so that they are seen
 * before approving. Every action goes through the /v1 API, which checks the role and the province
 * again; its refusals are shown as it gives them.
 */
initChrome();
const root = appRoot();

async function load(): Promise<void> {
  // When the address names the period, its data is asked for beside the list of periods: one round trip, not three, on a slow link.
  const early = province && givenPeriod && form ? views(givenPeriod) : null;
  early?.catch(() => undefined);
  const { periods } = await api<{ periods: Period[] }>('/v1/periods');
  const known = [...new Set(periods.filter((p) => !province || p.province_code === province).map((p) => p.period))];
  const asked = givenPeriod ?? known[0] ?? null;
  if (!province || !asked || !form) {
    fill(root, controls(known, asked), h('p', { class: 'notice' }, ta('ap.pick')));
    return;
  }
  const [rates, approvals, lock, exceptions, audit, quality, past] = await (early ?? views(asked));
  const warnings = warningsByCommune(quality);
  const period = rates.period;
  fill(
    root,
    controls(known, period),
    noticeBox(),
    summary(rates, lock, period),
    upperApprovals(rates, approvals.approvals, warnings, period),
    communeTable(rates, approvals.approvals, warnings, period),
    overPeriods((await past) ?? (await history(period)), rates),
    exceptionsSection(rates, exceptions.exceptions, period),
    auditSection(audit.entries),
  );
}

onRedraw(() => drawPage(root, load));
drawPage(root, load).finally(markReady);
