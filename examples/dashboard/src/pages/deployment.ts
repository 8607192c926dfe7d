/** One deployment: its VMs with vitals as bars (CPU, memory, disks) and their processes' states. */
import { request } from '../client.js';
import { DeploymentVitals } from '../documents.js';
import { bar, h } from '../dom.js';

export async function deploymentPage(root: HTMLElement, name: string): Promise<void> {
  root.replaceChildren(
    h('p', { class: 'muted' }, `Loading the VMs of ${name}… (the Director gathers their vitals in a task)`),
  );
  const { deployment } = await request(DeploymentVitals, { name });
  if (!deployment) {
    root.replaceChildren(h('p', { class: 'error' }, `The Director has no deployment named ${name}.`));
    return;
  }
  root.replaceChildren(
    h('p', {}, h('a', { href: '#/' }, '← Deployments')),
    h('h2', {}, deployment.name),
    h(
      'div',
      { class: 'vms' },
      deployment.vms.map((vm) => {
        const label = `${vm.job}/${vm.index}`;
        const vitals = vm.details?.vitals;
        const cpu = vitals ? (vitals.cpu.user ?? 0) + (vitals.cpu.sys ?? 0) + (vitals.cpu.wait ?? 0) : null;
        const state = vm.details?.jobState ?? 'unknown';
        // An instance can have an inactive VM beside its active one: same job/index, another cid.
        const inactive = vm.active === false;
        return h(
          'article',
          { class: inactive ? 'vm inactive' : 'vm', 'data-vm': label, 'data-cid': vm.cid ?? '' },
          h(
            'header',
            {},
            h('strong', {}, label),
            inactive ? h('span', { class: 'chip inactive' }, 'inactive VM') : [],
            h('span', { class: `state ${state.replace(/\s/g, '-')}` }, state),
          ),
          h('p', { class: 'muted' }, [vm.az ?? 'no az', ...vm.ips].join(' · ')),
          h(
            'div',
            { class: 'vitals' },
            h('span', {}, 'CPU'),
            bar(`${label} CPU`, cpu, 'meter'),
            h('span', {}, 'Memory'),
            bar(`${label} memory`, vitals?.mem.percent, 'meter'),
            (vitals?.disks ?? []).flatMap((disk) => [
              h('span', {}, `Disk ${disk.name}`),
              bar(`${label} ${disk.name} disk`, disk.percent, 'meter'),
            ]),
          ),
          h(
            'ul',
            { class: 'processes' },
            (vm.details?.processes ?? []).map((p) =>
              h('li', {}, h('span', { class: `state ${p.state}` }, p.state), ` ${p.name}`),
            ),
          ),
        );
      }),
    ),
  );
}
