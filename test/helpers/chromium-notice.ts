/**
 * vitest's global setup: runs once per `vitest run`, before any test file. When the browser tests
 * are to be skipped (no Chromium, not CI), it says so in one loud line, with the install command.
 */
import { CHROMIUM, INSTALL_CHROMIUM, skipBrowserTests } from './browser.js';

export default function setup(): void {
  if (!skipBrowserTests()) return;
  process.stdout.write(
    `\n!!! SKIPPING THE BROWSER TESTS: no Chromium at ${CHROMIUM}. Install it with \`${INSTALL_CHROMIUM}\` (on CI they run and fail instead).\n\n`,
  );
}
