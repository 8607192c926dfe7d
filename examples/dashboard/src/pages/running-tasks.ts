/** The running tasks, kept current by the `runningTasks` subscription: no polling here. */
import { subscribe } from '../client.js';
import { RunningTasks } from '../documents.js';
import { h } from '../dom.js';
import type { RunningTasksSubscription } from '../gql/graphql.js';

export function runningTasksPanel(): { element: HTMLElement; stop: () => void } {
  const list = h('ul', { class: 'tasks', 'aria-live': 'polite' }, h('li', { class: 'muted' }, 'Connecting…'));
  const render = (tasks: RunningTasksSubscription['runningTasks']) => {
    list.replaceChildren(
      ...(tasks.length === 0
        ? [h('li', { class: 'muted' }, 'No task is running.')]
        : tasks.map((task) =>
            h(
              'li',
              { 'data-task': task.id },
              h('span', { class: `state ${task.state.toLowerCase()}` }, task.state),
              ` #${task.id} `,
              h('strong', {}, task.description),
              task.deploymentName ? ` · ${task.deploymentName}` : '',
              h('span', { class: 'muted' }, ` by ${task.user}`),
            ),
          )),
    );
  };
  const stop = subscribe(
    RunningTasks,
    {},
    {
      next: (data) => render(data.runningTasks),
      error: (error) => list.replaceChildren(h('li', { class: 'error' }, error.message)),
    },
  );
  const element = h('section', { class: 'panel', 'aria-labelledby': 'running-tasks' }, [
    h('h2', { id: 'running-tasks' }, 'Running tasks'),
    list,
  ]);
  return { element, stop };
}
