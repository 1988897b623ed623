/**
 * Debian's Chromium, the only browser the machines have (`.ci/run` installs it; nothing is ever
 * downloaded), and the flags every headless use here shares: no sandbox (CI runs as root), and no
 * network of its own (updates, sync, QUIC) so a page sees only what the test serves.
 */
export const CHROMIUM_PATH = "/usr/bin/chromium";

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
