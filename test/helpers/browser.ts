import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (CHROMIUM_PATH to use another); playwright-core drives it, nothing is downloaded. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A headless chromium; the caller closes it (and its processes with it) in teardown. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 30_000 });
}
