import { defineForm } from '../form.ts';

/** HTS-BAN: village connectivity, one row per village (SPEC §2). */
export const htsBan = defineForm({
  code: 'HTS-BAN',
  title: { vi: 'Hạ tầng số cấp thôn/bản', en: 'Village digital infrastructure' },
  rows: 'many',
  fields: [
    { key: 'village', header: 'Tên thôn/bản', en: 'Village', type: 'text', rowKey: true },
    { key: 'households', header: 'Số hộ', en: 'Households', type: 'integer' },
    { key: 'population', header: 'Số nhân khẩu', en: 'Population', type: 'integer' },
    { key: 'fiber', header: 'Có internet cáp quang', en: 'Fibre internet', type: 'yesno' },
    { key: 'mobile_signal', header: 'Có sóng di động', en: 'Mobile signal', type: 'yesno' },
    { key: 'mobile_3g', header: 'Có sóng 3G trở lên', en: '3G or better', type: 'yesno', requires: 'mobile_signal' },
    { key: 'smartphone_users', header: 'Số người dùng điện thoại thông minh', en: 'Smartphone users', type: 'integer', atMost: 'population' },
    { key: 'epayment_users', header: 'Số người có tài khoản thanh toán điện tử', en: 'E-payment account holders', type: 'integer', atMost: 'population' },
  ],
  measures: {
    villages: { kind: 'count' },
    villages_fiber: { kind: 'countYes', field: 'fiber' },
    villages_mobile: { kind: 'countYes', field: 'mobile_signal' },
    villages_3g: { kind: 'countYes', field: 'mobile_3g' },
    households: { kind: 'sum', field: 'households' },
    population: { kind: 'sum', field: 'population' },
    smartphone_users: { kind: 'sum', field: 'smartphone_users' },
    epayment_users: { kind: 'sum', field: 'epayment_users' },
  },
  indicators: [
    { code: 'villages_total', name: { vi: 'Số thôn/bản', en: 'Villages' }, numerator: 'villages' },
    { code: 'fiber_village_rate', name: { vi: 'Tỷ lệ thôn có cáp quang', en: 'Villages with fibre' }, numerator: 'villages_fiber', denominator: 'villages' },
    { code: 'mobile_village_rate', name: { vi: 'Tỷ lệ thôn có sóng di động', en: 'Villages with mobile signal' }, numerator: 'villages_mobile', denominator: 'villages' },
    { code: 'mobile_3g_village_rate', name: { vi: 'Tỷ lệ thôn có 3G trở lên', en: 'Villages with 3G or better' }, numerator: 'villages_3g', denominator: 'villages' },
    { code: 'smartphone_rate', name: { vi: 'Tỷ lệ dùng điện thoại thông minh', en: 'Smartphone use' }, numerator: 'smartphone_users', denominator: 'population' },
    { code: 'epayment_rate', name: { vi: 'Tỷ lệ có tài khoản thanh toán điện tử', en: 'E-payment accounts' }, numerator: 'epayment_users', denominator: 'population' },
  ],
});
