/**
 * Seeded things a console lists that no seeded task leaves behind: orphaned disks and an orphaned
 * VM, an inactive VM left by an interrupted create-swap-delete, and the config-server variables
 * of the deployments (some certificates, one close to expiry and one expired). Every id and cid
 * comes from the seeded PRNG and every time is relative to the simulator's start, so the same
 * seed gives the same inventory.
 */
import type { SimState } from './state.js';
import type { Instance, Variable } from './types.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function instanceOf(state: SimState, deployment: string, group: string, index: number): Instance | undefined {
  return state.deployments.get(deployment)?.instances.find((i) => i.group === group && i.index === index);
}

/** Variables of a deployment: `[name, certificate days left from start (null: not a certificate)]`. */
const VARIABLES: Record<string, [string, number | null][]> = {
  cf: [
    ['nats_password', null],
    ['router_tls', 25],
    ['nats_tls', -2],
    ['diego_ca', 1095],
  ],
  redis: [
    ['redis_password', null],
    ['redis_tls', 9],
  ],
  zookeeper: [['zookeeper_tls', 200]],
};

export function seedInventory(state: SimState, start: number): void {
  const rng = state.rng;
  const former = (group: string) => `${group}/${rng.uuid()}`;
  state.orphanDisks = [
    {
      cid: rng.uuid(),
      size: 10240,
      az: 'z1',
      deployment: 'cf',
      instance: former('database'),
      cloudProperties: {},
      orphanedAt: start - 5 * DAY + 3 * HOUR,
    },
    {
      cid: rng.uuid(),
      size: 51200,
      az: 'z1',
      deployment: 'concourse',
      instance: former('db'),
      cloudProperties: { type: 'ssd' },
      orphanedAt: start - 3 * DAY + 2 * HOUR,
    },
    {
      cid: rng.uuid(),
      size: 10240,
      az: 'z2',
      deployment: 'redis',
      instance: former('redis'),
      cloudProperties: {},
      orphanedAt: start - DAY + HOUR,
    },
  ];
  const router = instanceOf(state, 'cf', 'router', 1);
  state.orphanedVms = [
    {
      cid: rng.uuid(),
      az: 'z2',
      deployment: 'cf',
      instance: `router/${router?.id ?? rng.uuid()}`,
      ips: ['10.244.2.99/32'],
      orphanedAt: start - 5 * HOUR,
    },
  ];
  // A create-swap-delete of nats/1 stopped after creating its new VM, which stays inactive.
  const nats = instanceOf(state, 'cf', 'nats', 1);
  if (nats?.vm) {
    nats.inactiveVms = [
      {
        ...nats.vm,
        cid: rng.uuid(),
        agentId: rng.uuid(),
        ips: [state.allocateIp(nats.az)],
        createdAt: start - 6 * HOUR,
        active: false,
      },
    ];
  }
  for (const [deployment, list] of Object.entries(VARIABLES)) {
    const d = state.deployments.get(deployment);
    if (!d) continue;
    d.variables = list.map(([name, days]): Variable => {
      const v: Variable = { id: rng.uuid(), name: `/${state.name}/${deployment}/${name}` };
      if (days !== null) v.certificateExpiry = start + days * DAY;
      return v;
    });
  }
}
