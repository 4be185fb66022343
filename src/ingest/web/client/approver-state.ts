import { boot } from './boot.ts';

/**
 * What the approver page shows, from its address: the form, the province (a province approver's
 * own; an admin names one) and the period, when named. Fixed for the page's life: the controls
 * choose another by loading a new address.
 */
const params = new URLSearchParams(location.search);
export const user = boot.user!;
export const form = params.get('form') ?? boot.forms[0]?.code ?? '';
export const province = user.level === 'province' ? user.code! : (params.get('province') ?? '');
export const givenPeriod = params.get('period');
