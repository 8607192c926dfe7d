/**
 * The example dashboard (examples/dashboard) in headless Chromium, built as `npm run example`
 * builds it and served as it serves it: the gateway in front of its simulated Director, running
 * only the dashboard's trusted documents. It shows the deployments, one deployment's VM vitals,
 * previews the diff of a pasted manifest (no changes, errors to go back from, a new deployment's
 * every line added), starts the deploy and follows it until every stage bar is at 100 % and the
 * task is DONE, while a second page's running-tasks list shows the task come and go.
 *
 * The simulated Director runs on a manual clock, so the deploy moves only when the test moves
 * time: nothing here depends on how fast the machine is.
 *
 * BOSH_GRAPHQL_SCREENSHOTS=DIR saves a screenshot of each step there (the README's come from here:
 * BOSH_GRAPHQL_SCREENSHOTS=docs/img).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { type Dashboard, startDashboard } from '../../examples/dashboard/server/start.js';
import { ManualClock } from '../../src/simulator/index.js';
import {
  eventually,
  fileBrowser,
  PATIENCE_MS,
  screenshot,
  skipBrowserTests,
  staysLocal,
  type TestBrowser,
} from '../helpers/browser.js';

const EXAMPLE = fileURLToPath(new URL('../../examples/dashboard/', import.meta.url));
let dist: string;
let clock: ManualClock;
let dashboard: Dashboard;
let browser: TestBrowser;
let page: Page;

fileBrowser({
  setUp: async () => {
    dist = await mkdtemp(join(tmpdir(), 'bosh-graphql-dashboard-'));
    await build({ root: EXAMPLE, logLevel: 'error', build: { outDir: dist, emptyOutDir: true } });
    clock = new ManualClock();
    dashboard = await startDashboard({ port: 0, dist, simulator: { clock, tickMs: 500 } });
  },
  onLaunch: (launched) => {
    browser = launched;
    page = launched.page;
  },
  hookTimeoutMs: 4 * PATIENCE_MS,
});
afterAll(async () => {
  await dashboard?.close();
  if (dist) await rm(dist, { recursive: true, force: true });
});

const shot = (target: Page, name: string) => screenshot(target, `dashboard-${name}`, true);

/**
 * Moves the simulated Director's clock on (one task step at a time, with a turn for I/O between)
 * until `done` settles, so Director tasks behind a page finish while the page waits for them.
 */
async function whileTimeRuns<T>(done: Promise<T>): Promise<T> {
  let settled = false;
  const result = done.finally(() => {
    settled = true;
  });
  while (!settled) {
    await clock.advance(500);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return result;
}

/**
 * The Director's own answer, read past the gateway (which runs only the dashboard's documents);
 * with a manifest, the answer to POSTing it.
 */
async function director<T>(path: string, manifest?: string): Promise<T> {
  const response = await fetch(`${dashboard.sim.url}${path}`, {
    headers: {
      authorization: dashboard.sim.basicAuth('admin'),
      ...(manifest === undefined ? {} : { 'content-type': 'text/yaml' }),
    },
    ...(manifest === undefined ? {} : { method: 'POST', body: manifest }),
  });
  return (await response.json()) as T;
}

interface WireDeployDiff {
  context: { cloud_config_ids: number[]; runtime_config_ids: number[] };
  diff: [string, 'added' | 'removed' | null][];
}

describe.skipIf(skipBrowserTests())(
  'the example dashboard in headless Chromium',
  { timeout: 4 * PATIENCE_MS },
  () => {
    it('lists every deployment with its releases, stemcells and VM count', async () => {
      await browser.unlessTrouble(page.goto(dashboard.url));
      const rows = page.locator('tr[data-deployment]');
      await rows.first().waitFor();
      const names = (await director<{ name: string }[]>('/deployments')).map((d) => d.name);
      expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-deployment')))).toEqual(
        names,
      );

      const cf = page.locator('tr[data-deployment="cf"]');
      // The count is of active VMs; the Director's list also has the inactive one, counted apart.
      const vms = await director<{ active: boolean }[]>('/deployments/cf/vms');
      const inactive = vms.filter((vm) => vm.active === false).length;
      expect(inactive).toBeGreaterThan(0);
      expect(await cf.locator('td.count').textContent()).toBe(
        `${vms.length - inactive} +${inactive} inactive`,
      );
      expect(await cf.textContent()).toContain('nats 56.10.0');
      expect(await cf.textContent()).toContain('ubuntu-jammy 1.445');
      await page.getByText('No task is running.').waitFor();
    });

    it("shows one deployment's VMs with CPU, memory and disk bars and their processes' states", async () => {
      await page.getByRole('link', { name: 'cf', exact: true }).click();
      await whileTimeRuns(page.locator('article.vm').first().waitFor());
      const vms = await director<{ cid: string; active: boolean }[]>('/deployments/cf/vms');
      expect(await page.locator('article.vm').count()).toBe(vms.length);
      // The inactive VM beside an active one of the same instance is shown, and marked as such.
      const inactive = vms.filter((vm) => vm.active === false).map((vm) => vm.cid);
      expect(
        await page
          .locator('article.vm.inactive')
          .evaluateAll((as) => as.map((a) => a.getAttribute('data-cid'))),
      ).toEqual(inactive);
      for (const cid of inactive) {
        expect(await page.locator(`article[data-cid="${cid}"] header`).textContent()).toContain(
          'inactive VM',
        );
      }

      const router = page.locator('article[data-vm="router/0"]');
      for (const meter of ['router/0 CPU', 'router/0 memory', 'router/0 system disk']) {
        const value = Number(await router.getByRole('meter', { name: meter }).getAttribute('aria-valuenow'));
        expect(value, meter).toBeGreaterThanOrEqual(0);
        expect(value, meter).toBeLessThanOrEqual(100);
      }
      expect(await router.locator('.processes li').count()).toBeGreaterThan(0);
      expect(await router.locator('.processes').textContent()).toContain('running');
      // diego-cell/2's agent does not answer (docs/simulator.md): no vitals, its state says so.
      expect(await page.locator('article[data-vm="diego-cell/2"] header').textContent()).toContain(
        'unresponsive agent',
      );
      await shot(page, 'vms');
    });

    it("previews a manifest's diff: no changes said plainly, and errors with a way back to the manifest", async () => {
      await page.getByRole('link', { name: 'Deploy', exact: true }).click();
      const manifest = page.getByRole('textbox', { name: 'Deployment manifest' });
      const preview = page.getByRole('button', { name: 'Preview the changes' });
      const edit = page.getByRole('button', { name: 'Edit the manifest' });
      const tasks = dashboard.sim.tasks.list().length;

      // A deployment's own manifest, as deployed, changes nothing.
      const redis = dashboard.sim.deployments.manifest('redis')!;
      await manifest.fill(redis);
      await preview.click();
      await page
        .getByTestId('diff-summary')
        .getByText(/^No changes/)
        .waitFor();
      expect(await page.locator('.diff').count()).toBe(0);
      await page.getByRole('button', { name: 'Deploy', exact: true }).waitFor();

      // A release the Director does not have: it cannot diff that (DIFF_FAILED), and says why.
      await edit.click();
      expect(await manifest.inputValue()).toBe(redis);
      const unknown = redis.replace(
        '- name: redis\n  version: latest',
        '- name: no-such-release\n  version: latest',
      );
      expect(unknown).toContain('no-such-release');
      await manifest.fill(unknown);
      await preview.click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(
        /^The Director cannot diff this manifest: .*no-such-release.*\(DIFF_FAILED\)$/,
      );
      expect(await page.getByRole('button', { name: 'Deploy', exact: true }).count()).toBe(0);
      await shot(page, 'deploy-diff-failed');

      // A manifest with no name is refused before the Director is asked (BAD_USER_INPUT).
      await edit.click();
      expect(await manifest.inputValue()).toBe(unknown);
      await manifest.fill('releases: []\n');
      await preview.click();
      await alert.waitFor();
      expect(await alert.textContent()).toMatch(/^The manifest is not valid: .*\(BAD_USER_INPUT\)$/);
      await edit.click();
      expect(await manifest.inputValue()).toBe('releases: []\n');

      // A deploy that does not start (the Director fails it here) offers a fresh preview.
      await manifest.fill(redis);
      await preview.click();
      await page
        .getByTestId('diff-summary')
        .getByText(/^No changes/)
        .waitFor();
      dashboard.sim.faults.set({
        errorNext: 1,
        errorStatus: 500,
        method: 'POST',
        pathPrefix: '/deployments',
      });
      try {
        await page.getByRole('button', { name: 'Deploy', exact: true }).click();
        await page.getByText(/^The deploy did not start: /).waitFor();
      } finally {
        dashboard.sim.faults.clear();
      }
      await page.getByRole('button', { name: 'Preview the changes again' }).click();
      await page
        .getByTestId('diff-summary')
        .getByText(/^No changes/)
        .waitFor();
      expect(await page.getByText(/^The deploy did not start/).count()).toBe(0);
      expect(await page.locator('.step h3').allTextContents()).toEqual(['Manifest', 'Changes']);
      // A preview starts no task.
      expect(dashboard.sim.tasks.list().length).toBe(tasks);
      await page.getByRole('link', { name: '← Deployments' }).click();
    });

    it('deploys a pasted manifest and shows its stages reach 100 % and the task DONE, live', async () => {
      // A second page watches the running tasks while the first one deploys.
      const watcher = await browser.context.newPage();
      watcher.setDefaultTimeout(PATIENCE_MS);
      await watcher.goto(dashboard.url);
      await watcher.getByText('No task is running.').waitFor();

      await page.getByRole('link', { name: 'Deploy', exact: true }).click();
      const manifest = page.getByRole('textbox', { name: 'Deployment manifest' });
      const text = (await manifest.inputValue()).replace('name: dashboard-demo', 'name: kit-demo');
      await manifest.fill(text);
      await page.getByRole('button', { name: 'Preview the changes' }).click();

      // The diff preview: a new deployment, so every line the Director shows is added (the blank
      // context lines between its sections aside), line for line as the Director diffs it.
      const lines = page.getByRole('list', { name: 'Changes' }).locator('li');
      await lines.first().waitFor();
      const wire = await director<WireDeployDiff>('/deployments/kit-demo/diff?redact=true', text);
      const shown = await lines.evaluateAll((all) =>
        all.map((li) => [li.className, li.textContent!.slice(1).trim()]),
      );
      expect(shown).toEqual(wire.diff.map(([line, change]) => [change ?? 'context', line.trim()]));
      expect(shown.filter(([change, line]) => change !== 'added' && line !== '')).toEqual([]);
      for (const section of ['name: kit-demo', 'instance_groups:', 'releases:', 'stemcells:', 'update:']) {
        expect(shown, section).toContainEqual(['added', section]);
      }
      const added = shown.filter(([change]) => change === 'added').length;
      expect(added).toBeGreaterThan(20);
      expect(await page.getByTestId('diff-summary').textContent()).toBe(
        `${added} lines added, 0 lines removed.`,
      );
      await shot(page, 'deploy-diff');

      await page.getByRole('button', { name: 'Deploy', exact: true }).click();
      const started = (await page.getByText(/^Task #\d+ started/).textContent())!;
      const id = /#(\d+)/.exec(started)![1]!;

      // The clock stands still: the task waits, and the watcher's list shows it.
      const listed = watcher.locator(`li[data-task="${id}"]`);
      await listed.waitFor();
      expect(await listed.textContent()).toContain('kit-demo');
      await shot(watcher, 'deployments');

      // Time moves on until the Director has the web canary part-way: the page then shows that
      // stage's bar part-way, and stays so while the clock stands still.
      const partWay = () =>
        dashboard.sim.tasks
          .events(Number(id))
          .some(
            (e) =>
              e.stage === 'Updating instance' &&
              (e.tags as string[])[0] === 'web' &&
              e.state === 'in_progress',
          );
      for (let step = 0; step < 1000 && !partWay(); step++) await clock.advance(100);
      expect(partWay()).toBe(true);
      const web = page.getByRole('progressbar', { name: 'Updating instance (web)' });
      await eventually(
        async () => Number(await web.getAttribute('aria-valuenow')),
        (value) => value > 0 && value < 100,
      );
      await page.getByTestId('task-state').getByText('PROCESSING', { exact: true }).waitFor();
      await shot(page, 'deploy-live');

      await whileTimeRuns(page.getByTestId('task-state').getByText('DONE', { exact: true }).waitFor());
      const bars = page.locator('.stages [role="progressbar"]');
      expect(await bars.count()).toBeGreaterThan(2);
      await eventually(
        () => bars.evaluateAll((all) => all.map((b) => b.getAttribute('aria-valuenow'))),
        (values) => values.every((value) => value === '100'),
      );
      const labels = await bars.evaluateAll((all) => all.map((b) => b.getAttribute('aria-label')));
      expect(labels).toContain('Updating instance (web)');
      expect(await page.locator('.log li').count()).toBeGreaterThan(labels.length);
      expect((await dashboard.sim.tasks.get(Number(id)))?.state).toBe('done');
      // It deployed against the configs the diff was computed against.
      const [deployed] = dashboard.sim.requests.list({ method: 'POST', path: '/deployments' }).slice(-1);
      expect(JSON.parse(new URLSearchParams(deployed!.query).get('context')!)).toEqual(wire.context);
      await shot(page, 'deploy');

      // The finished task leaves the watcher's list by itself.
      await listed.waitFor({ state: 'detached' });
      await watcher.getByText('No task is running.').waitFor();
      await watcher.close();
    });

    it('sent every operation by its trusted id, and kept every request on this machine without an error', () => {
      const graphql = browser.requests.filter((r) => new URL(r.url).pathname === '/graphql');
      expect(graphql.length).toBeGreaterThan(3);
      const manifest = JSON.parse(readFileSync(dashboard.manifest, 'utf8')) as Record<string, string>;
      for (const request of graphql) {
        const body = JSON.parse(request.body ?? '{}') as { query?: string; documentId?: string };
        expect(body.query ?? '', request.body ?? '').toBe('');
        expect(Object.keys(manifest)).toContain(body.documentId);
      }
      // Every kind of operation went by id: the page's query, a mutation and the subscriptions.
      const sent = new Set(
        graphql.map((r) => /^\w+ (\w+)/.exec(manifest[JSON.parse(r.body!).documentId]!)?.[1]),
      );
      expect([...sent].sort()).toEqual([
        'Deploy',
        'DeploymentDiff',
        'DeploymentVitals',
        'DeploymentsPage',
        'RunningTasks',
        'TaskEvents',
        'TaskUpdated',
      ]);
      expect(browser.requests.map((r) => r.url).filter((u) => !staysLocal(u))).toEqual([]);
      expect(browser.errors).toEqual([]);
    });
  },
);
