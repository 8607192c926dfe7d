/** The dashboard: three pages behind hash routes, no framework. */
import './style.css';
import { h } from './dom.js';
import { deployPage } from './pages/deploy.js';
import { deploymentPage } from './pages/deployment.js';
import { deploymentsPage } from './pages/deployments.js';

const main = document.querySelector('main')!;
let leave: (() => void) | undefined;

async function route(): Promise<void> {
  leave?.();
  leave = undefined;
  const path = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  const vms = /^\/deployments\/(.+)$/.exec(path);
  try {
    if (path === '/deploy') leave = deployPage(main);
    else if (vms) await deploymentPage(main, vms[1]!);
    else leave = await deploymentsPage(main);
  } catch (error) {
    main.replaceChildren(h('p', { class: 'error' }, `Could not load this page: ${(error as Error).message}`));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
