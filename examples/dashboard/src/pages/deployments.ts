/** The deployments page: each deployment with its releases, stemcells and VM count. */
import { request } from '../client.js';
import { DeploymentsPage } from '../documents.js';
import { h } from '../dom.js';
import { runningTasksPanel } from './running-tasks.js';

export async function deploymentsPage(root: HTMLElement): Promise<() => void> {
  const tasks = runningTasksPanel();
  const table = h('p', { class: 'muted' }, 'Loading deployments…');
  root.replaceChildren(
    h(
      'div',
      { class: 'columns' },
      h('section', { class: 'panel wide' }, h('h2', {}, 'Deployments'), table),
      tasks.element,
    ),
  );
  const { deployments } = await request(DeploymentsPage);
  table.replaceWith(
    h(
      'table',
      { class: 'deployments' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          ['Deployment', 'Releases', 'Stemcells', 'VMs'].map((t) => h('th', {}, t)),
        ),
      ),
      h(
        'tbody',
        {},
        deployments.map((d) =>
          h(
            'tr',
            { 'data-deployment': d.name },
            h(
              'td',
              {},
              h('a', { href: `#/deployments/${encodeURIComponent(d.name)}` }, d.name),
              d.teams.map((team) => h('span', { class: 'chip team' }, team)),
            ),
            h(
              'td',
              {},
              d.releases.map((r) => h('span', { class: 'chip' }, `${r.name} ${r.version}`)),
            ),
            h(
              'td',
              {},
              d.stemcells.map((s) =>
                h('span', { class: 'chip' }, `${s.operatingSystem ?? '?'} ${s.version}`),
              ),
            ),
            vmCount(d.vms),
          ),
        ),
      ),
    ),
  );
  return tasks.stop;
}

/** Active VMs; an inactive one (a VM kept aside during an update) is counted apart, not as capacity. */
function vmCount(vms: readonly { active?: boolean | null }[]): HTMLElement {
  const inactive = vms.filter((vm) => vm.active === false).length;
  return h(
    'td',
    { class: 'count' },
    String(vms.length - inactive),
    inactive > 0 ? h('span', { class: 'muted inactive-count' }, ` +${inactive} inactive`) : [],
  );
}
