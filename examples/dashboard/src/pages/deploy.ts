/**
 * The deploy flow: paste a manifest, preview what it would change, start the deploy, watch it
 * live. Each step is one entry of DEPLOY_FLOW that renders itself and resolves with the flow's
 * state when the user may go on, or with `Back` to send the user to the step before it (from the
 * preview back to the manifest, say), so a step slots in without touching the others.
 *
 * The preview is `deploymentDiff`, as `bosh deploy` shows before asking; the deploy then passes
 * the diff's config ids (`fromDiff`), so the Director deploys against the configs the user saw.
 */
import { GatewayError, request, subscribe } from '../client.js';
import { Deploy, DeploymentDiff, TaskEvents, TaskUpdated } from '../documents.js';
import { bar, h } from '../dom.js';
import type { DeploymentDiffQuery, DiffContextInput } from '../gql/graphql.js';
import { DeployProgress, stageProgress } from '../stages.js';

export interface FlowState {
  manifest: string;
  /** The configs the previewed diff was computed against: the deploy uses these. */
  fromDiff?: DiffContextInput;
  task?: { id: string; deploymentName: string | null };
}

/** What a step resolves with to send the user back to the step before it. */
export class Back {
  constructor(readonly state: FlowState) {}
}

export interface FlowStep {
  title: string;
  /**
   * Renders into `section`; resolves when the flow may go on, or with `Back` to run the step
   * before again (its section and this one are then removed). `signal` aborts when the user leaves.
   */
  run(section: HTMLElement, state: FlowState, signal: AbortSignal): Promise<FlowState | Back>;
}

/** The text of an error the gateway answered, with its code: `… (DIFF_FAILED)`. */
function errorText(error: unknown): string {
  const code = error instanceof GatewayError && error.code ? ` (${error.code})` : '';
  return `${(error as Error).message}${code}`;
}

function lines(count: number): string {
  return `${count} ${count === 1 ? 'line' : 'lines'}`;
}

export const DEMO_MANIFEST = `name: dashboard-demo
releases: [{name: bpm, version: latest}]
stemcells: [{alias: default, os: ubuntu-jammy, version: latest}]
update: {canaries: 1, max_in_flight: 2}
instance_groups:
- name: web
  instances: 2
  azs: [z1, z2]
  jobs: [{name: bpm, release: bpm}]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
- name: worker
  instances: 1
  azs: [z1]
  jobs: [{name: bpm, release: bpm}]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
`;

const manifestStep: FlowStep = {
  title: 'Manifest',
  run(section, state) {
    return new Promise((resolve) => {
      const text = h('textarea', { 'aria-label': 'Deployment manifest', rows: 18, spellcheck: false });
      text.value = state.manifest;
      const start = h('button', { type: 'submit' }, 'Preview the changes');
      const form = h('form', {}, text, h('p', {}, start));
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        // The manifest folds away, so the progress below is in view.
        const name = /^name:\s*(\S+)/m.exec(text.value)?.[1] ?? 'unnamed';
        const lines = text.value.trimEnd().split('\n').length;
        section.replaceChildren(
          h('h3', {}, this.title),
          h('details', {}, h('summary', {}, `${name}: ${lines} lines`), h('pre', {}, text.value)),
        );
        // A diff of an earlier manifest says nothing about this one.
        const { fromDiff: _, ...rest } = state;
        resolve({ ...rest, manifest: text.value });
      });
      section.append(h('p', { class: 'muted' }, 'Paste a BOSH manifest; its name is the deployment.'), form);
    });
  },
};

type Diff = DeploymentDiffQuery['deploymentDiff'];

const MARKS = { ADDED: '+', REMOVED: '-' } as const;

/** The diff's lines, `+` and `-` lines styled apart, context lines plain. */
function diffLines(diff: Diff): HTMLElement {
  return h(
    'ol',
    { class: 'diff', 'aria-label': 'Changes' },
    diff.lines.map((line) =>
      h(
        'li',
        { class: line.change ? line.change.toLowerCase() : 'context' },
        h('span', { class: 'mark' }, line.change ? MARKS[line.change] : ' '),
        line.text,
      ),
    ),
  );
}

const diffStep: FlowStep = {
  title: 'Changes',
  async run(section, state) {
    const status = h('p', { class: 'muted' }, 'Asking the Director what this deploy would change…');
    section.append(status);
    let diff: Diff;
    try {
      diff = (await request(DeploymentDiff, { manifest: state.manifest })).deploymentDiff;
    } catch (error) {
      // BAD_USER_INPUT (the manifest does not parse, or has no name) and DIFF_FAILED (the
      // Director cannot diff it: an unknown release, ...) are the manifest's to fix.
      const code = error instanceof GatewayError ? error.code : undefined;
      const what =
        code === 'BAD_USER_INPUT'
          ? 'The manifest is not valid'
          : code === 'DIFF_FAILED'
            ? 'The Director cannot diff this manifest'
            : 'The diff failed';
      status.replaceWith(h('p', { class: 'error', role: 'alert' }, `${what}: ${errorText(error)}`));
      return new Promise((resolve) => {
        const edit = h('button', { type: 'button' }, 'Edit the manifest');
        edit.addEventListener('click', () => resolve(new Back(state)));
        section.append(h('p', {}, edit));
      });
    }

    const added = diff.lines.filter((line) => line.change === 'ADDED').length;
    const removed = diff.lines.filter((line) => line.change === 'REMOVED').length;
    const summary =
      diff.lines.length === 0
        ? 'No changes: deploying this manifest would change nothing.'
        : `${lines(added)} added, ${lines(removed)} removed.`;
    const list = diff.lines.length === 0 ? null : diffLines(diff);
    status.replaceWith(
      h('p', { 'data-testid': 'diff-summary' }, summary),
      h('p', { class: 'muted' }, 'The Director diffed it against its current configs; secrets redacted.'),
    );
    if (list) section.append(list);
    return new Promise((resolve) => {
      const deploy = h('button', { type: 'button' }, 'Deploy');
      const edit = h('button', { type: 'button', class: 'secondary' }, 'Edit the manifest');
      edit.addEventListener('click', () => resolve(new Back(state)));
      deploy.addEventListener('click', () => {
        // The diff folds away, as the manifest did, so the progress below is in view.
        section.replaceChildren(
          h('h3', {}, this.title),
          list ? h('details', {}, h('summary', {}, summary), list) : h('p', {}, summary),
        );
        // The deploy uses the configs the diff was computed against (null only for a config diff).
        const { cloudConfigIds, runtimeConfigIds } = diff;
        resolve(
          cloudConfigIds && runtimeConfigIds
            ? { ...state, fromDiff: { cloudConfigIds, runtimeConfigIds } }
            : state,
        );
      });
      section.append(h('p', { class: 'actions' }, deploy, edit));
    });
  },
};

const startStep: FlowStep = {
  title: 'Deploy',
  async run(section, state) {
    const status = h('p', { class: 'muted' }, 'Starting the deploy…');
    section.append(status);
    try {
      const options = state.fromDiff ? { fromDiff: state.fromDiff } : null;
      const { deploy } = await request(Deploy, { manifest: state.manifest, options });
      status.replaceChildren(`Task #${deploy.id} started: ${deploy.description}.`);
      return { ...state, task: { id: deploy.id, deploymentName: deploy.deploymentName } };
    } catch (error) {
      status.replaceChildren(h('span', { class: 'error' }, `The deploy did not start: ${errorText(error)}`));
      // A config the diff named may be gone since (BAD_USER_INPUT): a fresh diff names the new ones.
      return new Promise((resolve) => {
        const again = h('button', { type: 'button' }, 'Preview the changes again');
        again.addEventListener('click', () => resolve(new Back(state)));
        section.append(h('p', {}, again));
      });
    }
  },
};

const watchStep: FlowStep = {
  title: 'Progress',
  run: (section, state, signal) =>
    new Promise((resolve) => {
      const id = state.task!.id;
      const progress = new DeployProgress();
      const taskState = h('span', { class: 'state queued', 'data-testid': 'task-state' }, 'QUEUED');
      const stages = h('div', { class: 'stages' });
      const log = h('ol', { class: 'log', 'aria-label': 'Event log' });
      section.append(h('p', {}, `Task #${id}: `, taskState), stages, h('h3', {}, 'Event log'), log);

      const renderStages = () =>
        stages.replaceChildren(
          ...progress.stages.map((stage) =>
            h(
              'div',
              { class: 'stage' },
              h('span', {}, stage.label),
              bar(stage.label, stageProgress(stage), 'progressbar'),
            ),
          ),
        );
      const stopEvents = subscribe(
        TaskEvents,
        { id },
        {
          next: ({ taskEvents }) => {
            const before = progress.log.length;
            progress.apply(taskEvents);
            renderStages();
            for (const entry of progress.log.slice(before)) {
              log.append(
                h('li', { class: entry.level }, h('time', {}, entry.time.slice(11, 19)), ` ${entry.text}`),
              );
            }
          },
          error: (error) => log.append(h('li', { class: 'error' }, `Event stream ended: ${error.message}`)),
        },
      );
      const stopUpdates = subscribe(
        TaskUpdated,
        { id },
        {
          next: ({ taskUpdated }) => {
            taskState.textContent = taskUpdated.state;
            taskState.className = `state ${taskUpdated.state.toLowerCase()}`;
            if (taskUpdated.result && ['ERROR', 'CANCELLED', 'TIMEOUT'].includes(taskUpdated.state)) {
              taskState.after(h('span', { class: 'error' }, ` ${taskUpdated.result}`));
            }
          },
          complete: () => resolve(state),
        },
      );
      signal.addEventListener('abort', () => {
        stopEvents();
        stopUpdates();
      });
    }),
};

/** The steps, in order. */
export const DEPLOY_FLOW: readonly FlowStep[] = [manifestStep, diffStep, startStep, watchStep];

export function deployPage(root: HTMLElement): () => void {
  const controller = new AbortController();
  const steps = h('ol', { class: 'flow' });
  root.replaceChildren(h('p', {}, h('a', { href: '#/' }, '← Deployments')), h('h2', {}, 'Deploy'), steps);
  void (async () => {
    let state: FlowState = { manifest: DEMO_MANIFEST };
    const sections: HTMLElement[] = [];
    for (let index = 0; index < DEPLOY_FLOW.length; ) {
      if (controller.signal.aborted) return;
      const step = DEPLOY_FLOW[index]!;
      const section = h('li', { class: 'step' }, h('h3', {}, step.title));
      steps.append(section);
      sections[index] = section;
      let outcome: FlowState | Back;
      try {
        outcome = await step.run(section, state, controller.signal);
      } catch {
        return; // The step said why; the flow stops there.
      }
      if (outcome instanceof Back) {
        index = Math.max(index - 1, 0);
        for (const gone of sections.splice(index)) gone.remove();
        state = outcome.state;
      } else {
        state = outcome;
        index++;
      }
    }
    if (state.task?.deploymentName) {
      steps.append(
        h(
          'li',
          {},
          h(
            'a',
            { href: `#/deployments/${encodeURIComponent(state.task.deploymentName)}` },
            `See the VMs of ${state.task.deploymentName} →`,
          ),
        ),
      );
    }
  })();
  return () => controller.abort();
}
