import { addMessages } from './messages.ts';

/** The login page. Vietnamese (the default) and English; the page imports this file, which adds its words (messages.ts). */
export const vi = {
  'login.intro': 'Dành cho cán bộ xã, chuyên viên tỉnh và quản trị viên.',
  'login.username': 'Tên đăng nhập',
  'login.password': 'Mật khẩu',
  'login.submit': 'Đăng nhập',
  'login.busy': 'Đang đăng nhập…',
  'login.retryIn': 'Thử lại sau {minutes} phút.',
} as const;

export const en: Record<keyof typeof vi, string> = {
  'login.intro': 'For commune officers, province analysts and administrators.',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Log in',
  'login.busy': 'Logging in…',
  'login.retryIn': 'Try again in {minutes} minutes.',
};

addMessages(vi, en);
