// Launching the system's headless Chromium through playwright-core; no browser is ever downloaded.
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; override with SWITCHBOARD_CHROMIUM on machines that keep it elsewhere. */
export const CHROMIUM_PATH = process.env['SWITCHBOARD_CHROMIUM'] ?? '/usr/bin/chromium';

// Everything that would reach the network or spend CPU outside the test page is off.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
] as const;

/** Launches headless Chromium; launch one per test file and close it in `after()`. */
export function launchBrowser(timeoutMs = 15_000): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    timeout: timeoutMs,
  });
}
