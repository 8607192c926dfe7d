/**
 * Headless Chromium for the browser tests: Debian's package driven by playwright-core (which never
 * downloads a browser here), a fresh profile per launch, and a record of every request the pages
 * make and every error they log.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';

/**
 * Where Debian's `chromium` package puts the browser. BOSH_GRAPHQL_CHROMIUM overrides it, so a
 * test can play a machine without one.
 */
export const CHROMIUM = process.env.BOSH_GRAPHQL_CHROMIUM || '/usr/bin/chromium';

export const INSTALL_CHROMIUM = 'apt-get install -y chromium';

/** True on CI (`CI` set to anything but false or 0): there no browser test may be skipped. */
export function onCI(): boolean {
  const ci = (process.env.CI ?? '').trim().toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/**
 * True when the browser tests are to be skipped: Chromium is missing and this is not CI, so
 * `npm test` passes on a fresh machine. The one line that says so comes from
 * `chromium-notice.ts` (vitest's global setup), once per run. On CI a missing Chromium fails them.
 */
export function skipBrowserTests(): boolean {
  return !existsSync(CHROMIUM) && !onCI();
}

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface SeenRequest {
  url: string;
  method: string;
  accept: string;
  /** The body of a POST, as sent. */
  body: string | null;
}

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Every request any page or worker of this browser made, in order. */
  requests: SeenRequest[];
  /** Console messages of type error, and uncaught page errors. */
  errors: string[];
  /**
   * Resolves as `work` does, unless a page logs an error or makes a request off this machine
   * first: then it rejects at once with that, instead of waiting out a timeout.
   */
  unlessTrouble<T>(work: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** True for URLs that stay on this machine: loopback HTTP, and data:, blob: and about: URLs. */
export function staysLocal(url: string): boolean {
  const parsed = new URL(url);
  if (['data:', 'blob:', 'about:'].includes(parsed.protocol)) return true;
  return (
    ['http:', 'https:', 'ws:', 'wss:'].includes(parsed.protocol) &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname)
  );
}

export async function launchChromium(): Promise<TestBrowser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}. The browser tests drive Debian's chromium package and ` +
        `never download a browser: install it with \`${INSTALL_CHROMIUM}\` (CI does, in .ci/run).`,
    );
  }
  // GraphiQL keeps its tabs in localStorage: a fresh profile each run starts from the default query.
  const profile = await mkdtemp(join(tmpdir(), 'bosh-graphql-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 800 },
      timeout: 60_000,
    });
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
  const requests: SeenRequest[] = [];
  const errors: string[] = [];
  const troubleListeners = new Set<(trouble: string) => void>();
  const trouble = (what: string) => {
    for (const listener of troubleListeners) listener(what);
  };
  context.on('request', (request) => {
    const url = request.url();
    requests.push({
      url,
      method: request.method(),
      accept: request.headers().accept ?? '',
      body: request.postData(),
    });
    if (!staysLocal(url)) trouble(`a request left this machine: ${url}`);
  });
  const watch = (page: Page) => {
    page.on('console', (message) => {
      if (message.type() !== 'error') return;
      errors.push(message.text());
      trouble(`the page logged an error: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      errors.push(`uncaught: ${error.message}`);
      trouble(`the page threw: ${error.message}`);
    });
  };
  for (const open of context.pages()) watch(open);
  context.on('page', watch);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    requests,
    errors,
    async unlessTrouble(work) {
      let listener: ((what: string) => void) | undefined;
      const troubled = new Promise<never>((_, reject) => {
        listener = (what) => reject(new Error(what));
        troubleListeners.add(listener);
      });
      try {
        return await Promise.race([work, troubled]);
      } finally {
        if (listener) troubleListeners.delete(listener);
      }
    },
    async close() {
      await context.close().catch(() => undefined);
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Resolves with `probe()`'s first value that `accept` takes, probing again after each miss. It has
 * no deadline of its own, so it never fails for a slow machine; the test's timeout bounds it.
 */
export async function eventually<T>(probe: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** How long one browser step may take: loading GraphiQL parses about 9 MB of inlined assets. */
export const PATIENCE_MS = 45_000;

/**
 * Chromium for one test file: after `setUp` (which starts what the pages need), launched once
 * before the file's tests, and closed after them; `onLaunch` gets it. Nothing starts when the
 * browser tests are skipped. A launch that fails fails each test (in beforeEach): thrown in
 * beforeAll, it would have every test reported as skipped.
 */
export function fileBrowser(options: {
  setUp: () => Promise<void>;
  onLaunch: (browser: TestBrowser) => void;
  hookTimeoutMs: number;
}): void {
  let browser: TestBrowser | undefined;
  let launchError: unknown;
  beforeAll(async () => {
    if (skipBrowserTests()) return;
    await options.setUp();
    try {
      browser = await launchChromium();
    } catch (error) {
      launchError = error;
      return;
    }
    browser.page.setDefaultTimeout(PATIENCE_MS);
    options.onLaunch(browser);
  }, options.hookTimeoutMs);
  beforeEach(() => {
    if (launchError) throw launchError;
  });
  afterAll(() => browser?.close());
}

/** Saves `page` as DIR/`name`.png when BOSH_GRAPHQL_SCREENSHOTS=DIR is set (to look at by hand). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const dir = process.env.BOSH_GRAPHQL_SCREENSHOTS;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage });
}
