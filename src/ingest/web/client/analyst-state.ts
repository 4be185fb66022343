import { boot, indicatorInfo } from './boot.ts';

/**
 * What the analyst page shows, from its address: the indicator (a rate first, by default), the
 * instant its figures are read as of (none: now), and the province and period when named. Fixed
 * for the page's life: the controls choose another by loading a new address.
 */
const params = new URLSearchParams(location.search);
const allIndicators = boot.forms.flatMap((f) => f.indicators);
export const user = boot.user!;
export const indicator = params.get('indicator') ?? allIndicators.find((i) => i.rate)?.code ?? allIndicators[0]!.code;
export const info = indicatorInfo(indicator) ?? { name: indicator, rate: false, form: '' };
export const asOf = params.get('as_of');
export const givenProvince = params.get('province');
export const givenPeriod = params.get('period');
