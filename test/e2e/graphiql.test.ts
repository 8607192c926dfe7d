/**
 * GraphiQL in a real browser: headless Chromium loads it from a gateway in process (in front of
 * the simulator), with no request leaving loopback, runs the default query, browses the docs,
 * runs a subscription over SSE, runs each ready tab, and runs empty tabs without a stack trace.
 *
 * BOSH_GRAPHQL_SCREENSHOTS=DIR saves a screenshot of each step there, to look at by hand.
 */
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema } from '../../src/graphql/schema.js';
import { EMPTY_TAB_MESSAGE } from '../../src/server/graphiql-fetcher.js';
import { GRAPHIQL_TABS } from '../../src/server/graphiql-tabs.js';
import {
  eventually,
  fileBrowser,
  PATIENCE_MS,
  screenshot,
  skipBrowserTests,
  staysLocal,
  type TestBrowser,
} from '../helpers/browser.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { DEMO_MANIFEST } from '../simulator/helpers.js';

let gw: TestGateway;
let browser: TestBrowser;
let url: string;
let page: Page;
/** Set once GraphiQL has rendered; the later steps need it. */
let rendered = false;

fileBrowser({
  setUp: async () => {
    gw = await startTestGateway({ graphiql: true });
    url = await gw.listen();
  },
  onLaunch: (launched) => {
    browser = launched;
    page = launched.page;
  },
  hookTimeoutMs: 2 * PATIENCE_MS,
});
afterAll(() => gw?.close());

const shot = (name: string) => screenshot(page, `graphiql-${name}`);

/** The text GraphiQL shows in its result pane (Monaco writes spaces as no-break spaces). */
async function resultText(): Promise<string> {
  return ((await result().textContent()) ?? '').replace(/\u00a0/g, ' ');
}

function result(): Locator {
  return page.locator('.graphiql-response');
}

/** Replaces the operation in the editor with `text`, as typed (pasted) by a user. */
async function typeOperation(text: string): Promise<void> {
  await page.locator('.graphiql-query-editor .monaco-editor').first().click();
  await page.keyboard.press('ControlOrMeta+KeyA');
  await page.keyboard.insertText(text);
}

describe.skipIf(skipBrowserTests())('GraphiQL in headless Chromium', { timeout: 2 * PATIENCE_MS }, () => {
  it('renders from inlined assets, every request staying on loopback and no error logged', async () => {
    // Fails at the first error logged or request off the machine (e.g. `YogaGraphiQL is not
    // defined` when assets would come from a CDN), rather than waiting for an editor that never comes.
    await browser.unlessTrouble(
      (async () => {
        await page.goto(url);
        await page.locator('.graphiql-query-editor').getByText('Welcome to bosh-graphql').waitFor();
      })(),
    );
    expect(await page.getByRole('button', { name: /Execute query/ }).isVisible()).toBe(true);
    await shot('loaded');

    expect(browser.requests.length).toBeGreaterThan(0);
    expect(browser.requests.map((r) => r.url).filter((u) => !staysLocal(u))).toEqual([]);
    expect(browser.errors).toEqual([]);
    rendered = true;
  });

  it('opens with named tabs: the deployments page, VM vitals, a deploy and a taskEvents subscription', async () => {
    expect(rendered, 'GraphiQL did not render (see the first test)').toBe(true);
    const names = await page.locator('.graphiql-tab-button').allTextContents();
    expect(names).toEqual(['DeploymentsPage', 'VmVitals', 'Deploy', 'TaskEvents']);
    expect(GRAPHIQL_TABS.map((tab) => /^(query|mutation|subscription) (\w+)/m.exec(tab.query)?.[2])).toEqual([
      'DeploymentsPage',
      'VmVitals',
      'Deploy',
      'TaskEvents',
    ]);
  });

  it("runs the default query with the run button and shows the Director's name and its deployments", async () => {
    expect(rendered, 'GraphiQL did not render (see the first test)').toBe(true);
    const deployments = gw.sim.deployments.names().sort();
    expect(deployments.length).toBeGreaterThan(1);

    await page.getByRole('button', { name: /Execute query/ }).click();
    await result().getByText('"bosh-simulator"').waitFor();
    await shot('query');
    const text = await resultText();
    expect(text).toMatch(/"name": "bosh-simulator"/);
    expect(text).toMatch(/"user": "admin"/);
    // Deployments come ordered by name; the first is near the top, so Monaco has it on screen.
    expect(text).toContain(`"name": "${deployments[0]}"`);
    expect(text).not.toContain('"errors"');
  });

  it("shows the schema's field descriptions in the docs explorer", async () => {
    expect(rendered, 'GraphiQL did not render (see the first test)').toBe(true);
    const description = createSchema().getQueryType()?.getFields().deployments?.description;
    expect(description).toContain('Every deployment the caller may read');

    await page.getByRole('button', { name: 'Show Documentation Explorer' }).click();
    const docs = page.locator('.graphiql-doc-explorer');
    await docs.getByText('Query', { exact: true }).first().click();
    await docs.getByText(description!).waitFor();
    await shot('docs');
  });

  it('runs a subscription over SSE with Ctrl-Enter and shows the task it follows finish', async () => {
    expect(rendered, 'GraphiQL did not render (see the first test)').toBe(true);
    const id = gw.sim.tasks.startDeploy(DEMO_MANIFEST);
    const before = browser.requests.length;

    await typeOperation(`subscription Follow { taskUpdated(id: "${id}") { id state description } }`);
    await page.keyboard.press('ControlOrMeta+Enter');
    await result().getByText(`"${id}"`).waitFor();
    await result().getByText('"DONE"').waitFor();
    await shot('subscription');

    const text = await resultText();
    expect(text).toMatch(new RegExp(`"id": "${id}",\\s*"state": "DONE"`));
    expect((await gw.sim.tasks.wait(id)).state).toBe('done');
    // GraphiQL was told to use SSE: the operation went out as an event-stream request.
    const streams = browser.requests.slice(before).filter((r) => r.accept.includes('text/event-stream'));
    expect(streams.map((r) => new URL(r.url).pathname)).toContain('/graphql');
  });

  it("runs each ready tab as it is: the vitals of cf, a deploy, and a task's events", async () => {
    expect(rendered, 'GraphiQL did not render (see the first test)').toBe(true);
    // A tab's first click can go to the editor losing its focus: click until the tab is active.
    const tab = (name: string) => ({
      click: () =>
        eventually(
          async () => {
            await page.getByRole('tab', { name }).click();
            return page.locator('.graphiql-tab-active .graphiql-tab-button').textContent();
          },
          (active) => active === name,
        ),
    });
    const run = () => page.getByRole('button', { name: /Execute query/ }).click();

    await tab('VmVitals').click();
    await run();
    await result().getByText('"jobState"').first().waitFor();
    expect(await resultText()).toContain('"name": "cf"');

    await tab('Deploy').click();
    await run();
    await result().getByText('"create deployment"').waitFor();
    const id = /"id": "(\d+)"/.exec(await resultText())?.[1];
    expect(id).toBeDefined();
    expect((await gw.sim.tasks.wait(Number(id))).state).toBe('done');
    expect(gw.sim.deployments.names()).toContain('graphiql-demo');

    await tab('TaskEvents').click();
    await run();
    // The task's records stream in; the pane shows the latest (Monaco writes no-break spaces).
    await result()
      .getByText(/"Task\w*Event"/)
      .first()
      .waitFor();
    await shot('tabs');
    expect(await resultText()).not.toContain('"errors"');
  });

  it('answers a tab with no operation, or only comments, with a plain message and no stack trace', async () => {
    expect(rendered, 'GraphiQL did not render (see the first test)').toBe(true);
    for (const text of ['', '# nothing here but a comment\n']) {
      await page.getByRole('button', { name: /New tab|Add tab/i }).click();
      if (text) await typeOperation(text);
      await page.getByRole('button', { name: /Execute query/ }).click();
      await result().getByText('This tab holds no operation').waitFor();
      const shown = await resultText();
      expect(shown).not.toMatch(/stack|\bat \S+ \(/);
      expect(shown.replace(/\s+/g, ' ')).toContain(EMPTY_TAB_MESSAGE.replace(/\s+/g, ' ').slice(0, 60));
    }
    await shot('empty-tab');
  });

  it('kept every request of the whole session on loopback, with no error logged', () => {
    expect(browser.requests.map((r) => r.url).filter((u) => !staysLocal(u))).toEqual([]);
    expect(browser.errors).toEqual([]);
  });
});
