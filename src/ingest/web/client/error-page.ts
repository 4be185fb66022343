import { initChrome, markReady } from './chrome.ts';

/** The 403 page has its words from the server; the header's buttons still work. */
initChrome();
markReady();
