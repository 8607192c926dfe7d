/**
 * Prometheus metrics (GET /metrics), from prom-client: live subscriptions and pollers (section 1
 * of docs/task-stream.md promises them), and Director calls by route and status.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { TaskStreams } from '../stream/task-streams.js';
import type { FanoutRegistry } from './fanout/registry.js';

export interface DirectorCallEvent {
  method: string;
  route: string;
  status: number | undefined;
  durationMs: number;
}

export interface GatewayMetrics {
  registry: Registry;
  /** Feed to the Director client's `onRequest` hook. */
  onDirectorCall(event: DirectorCallEvent): void;
  text(): Promise<string>;
}

export function createMetrics(streams: TaskStreams, fanout: FanoutRegistry): GatewayMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'bosh_graphql_' });
  new Gauge({
    name: 'bosh_graphql_subscriptions',
    help: 'Live client subscriptions, on every transport (taskEvents, taskOutput, taskUpdated, runningTasks).',
    registers: [registry],
    collect() {
      this.set(fanout.stats().clients);
    },
  });
  new Gauge({
    name: 'bosh_graphql_subscription_executions',
    help: 'Subscription executions: clients with the same document, variables and credentials share one.',
    registers: [registry],
    collect() {
      this.set(fanout.stats().executions);
    },
  });
  new Gauge({
    name: 'bosh_graphql_task_pollers',
    help: 'Live task pollers: one per task with subscribers, whatever their number.',
    registers: [registry],
    collect() {
      this.set(streams.stats().taskPollers);
    },
  });
  new Gauge({
    name: 'bosh_graphql_running_tasks_pollers',
    help: 'Live runningTasks pollers: one per (credentials, filter).',
    registers: [registry],
    collect() {
      this.set(streams.stats().runningTasksPollers);
    },
  });
  new Gauge({
    name: 'bosh_graphql_audit_pollers',
    help: 'Live audit feed (directorEvents) pollers: one per (credentials, filter).',
    registers: [registry],
    collect() {
      this.set(streams.stats().auditPollers);
    },
  });
  if (streams.fleet.status().mode !== 'local') {
    // With --redis only (docs/task-stream.md section 13).
    new Gauge({
      name: 'bosh_graphql_fleet_shared',
      help: '1 while this replica shares its task pollers through Redis, 0 while it polls alone.',
      registers: [registry],
      collect() {
        this.set(streams.fleet.status().mode === 'shared' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'bosh_graphql_task_leases_held',
      help: 'Task lanes whose lease this replica holds: those it polls the Director for, for the fleet.',
      registers: [registry],
      collect() {
        this.set(streams.fleet.leasesHeld());
      },
    });
  }
  const calls = new Counter({
    name: 'bosh_graphql_director_requests_total',
    help: 'Requests sent to the Director, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: 'bosh_graphql_director_request_seconds',
    help: 'Time to the Director answer, by route.',
    labelNames: ['route'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    registry,
    onDirectorCall: (event) => {
      calls.inc({ method: event.method, route: event.route, status: String(event.status ?? 'none') });
      durations.observe({ route: event.route }, event.durationMs / 1000);
    },
    text: () => registry.metrics(),
  };
}
