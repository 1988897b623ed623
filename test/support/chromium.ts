/**
 * Debian's Chromium and the flags every use of it here passes (the project's rule: never a browser
 * download, no background traffic): the browser tests, the console benchmark and the scripts that
 * render docs.
 */
export const CHROMIUM = "/usr/bin/chromium";
export const CHROMIUM_ARGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
