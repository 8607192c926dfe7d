/**
 * The deploy flow: paste a manifest, start the deploy, watch it live. Each step is one entry of
 * DEPLOY_FLOW that renders itself and resolves with the flow's state when the user may go on, so
 * a step slots in without touching the others: a preview of the manifest's diff goes between
 * `manifestStep` and `startStep` once the gateway offers a `deploymentDiff` query.
 */
import { GatewayError, request, subscribe } from '../client.js';
import { Deploy, TaskEvents, TaskUpdated } from '../documents.js';
import { bar, h } from '../dom.js';
import { DeployProgress, stageProgress } from '../stages.js';

export interface FlowState {
  manifest: string;
  task?: { id: string; deploymentName: string | null };
}

export interface FlowStep {
  title: string;
  /** Renders into `section`; resolves when the flow may go on. `signal` aborts when the user leaves. */
  run(section: HTMLElement, state: FlowState, signal: AbortSignal): Promise<FlowState>;
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
      const start = h('button', { type: 'submit' }, 'Deploy');
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
        resolve({ ...state, manifest: text.value });
      });
      section.append(h('p', { class: 'muted' }, 'Paste a BOSH manifest; its name is the deployment.'), form);
    });
  },
};

const startStep: FlowStep = {
  title: 'Deploy',
  async run(section, state) {
    const status = h('p', { class: 'muted' }, 'Starting the deploy…');
    section.append(status);
    try {
      const { deploy } = await request(Deploy, { manifest: state.manifest });
      status.replaceChildren(`Task #${deploy.id} started: ${deploy.description}.`);
      return { ...state, task: { id: deploy.id, deploymentName: deploy.deploymentName } };
    } catch (error) {
      const code = error instanceof GatewayError && error.code ? ` (${error.code})` : '';
      status.replaceChildren(
        h('span', { class: 'error' }, `The deploy did not start: ${(error as Error).message}${code}`),
      );
      throw error;
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
export const DEPLOY_FLOW: readonly FlowStep[] = [manifestStep, startStep, watchStep];

export function deployPage(root: HTMLElement): () => void {
  const controller = new AbortController();
  const steps = h('ol', { class: 'flow' });
  root.replaceChildren(h('p', {}, h('a', { href: '#/' }, '← Deployments')), h('h2', {}, 'Deploy'), steps);
  void (async () => {
    let state: FlowState = { manifest: DEMO_MANIFEST };
    for (const step of DEPLOY_FLOW) {
      if (controller.signal.aborted) return;
      const section = h('li', { class: 'step' }, h('h3', {}, step.title));
      steps.append(section);
      try {
        state = await step.run(section, state, controller.signal);
      } catch {
        return; // The step said why; the flow stops there.
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
