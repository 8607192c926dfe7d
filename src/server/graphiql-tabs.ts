/**
 * The tabs GraphiQL opens with (on a first visit; GraphiQL keeps the user's own tabs after that):
 * one per thing a frontend does first, each named by its operation. Variables are filled in, so
 * each tab runs as it is against the simulated Director.
 */

/** A small manifest the simulated Director deploys in a few seconds. */
const DEMO_MANIFEST = `name: graphiql-demo
releases: [{name: bpm, version: latest}]
stemcells: [{alias: default, os: ubuntu-jammy, version: latest}]
update: {canaries: 1, max_in_flight: 1}
instance_groups:
- {name: web, instances: 1, azs: [z1], jobs: [{name: bpm, release: bpm}], vm_type: small, stemcell: default, networks: [{name: default}]}
`;

const DEPLOYMENTS = `# Welcome to bosh-graphql. Press the run button (or Ctrl-Enter).
# Each tab holds a ready operation; the book icon on the left opens the docs.
query DeploymentsPage {
  director { name version user authentication { type } }
  deployments {
    name
    teams
    releases { name version }
    stemcells { operatingSystem version }
    vms { job index }
  }
  tasks(limit: 5) { id state description startedAt finishedAt deploymentName }
}
`;

const VITALS = `# One deployment's VMs with live vitals: one Director task for all of them.
query VmVitals($deployment: String!) {
  deployment(name: $deployment) {
    name
    vms {
      job
      index
      az
      ips
      details {
        jobState
        vitals { cpu { user sys } mem { percent } disks { name percent } load }
        processes { name state }
      }
    }
  }
}
`;

const DEPLOY = `# Starts a deploy and answers at once with its task: follow it in the TaskEvents tab.
mutation Deploy($manifest: String!) {
  deploy(manifest: $manifest) { id state description }
}
`;

const TASK_EVENTS = `# A task's event log, live: put the id the Deploy tab answered in the variables.
subscription TaskEvents($id: ID!) {
  taskEvents(id: $id) {
    __typename
    time
    ... on TaskStageEvent { stage tags task index total state progress }
    ... on TaskErrorEvent { code message }
    ... on TaskWarningEvent { message }
  }
}
`;

const json = (value: unknown) => JSON.stringify(value, null, 2);

export const GRAPHIQL_TABS = [
  { query: DEPLOYMENTS, variables: null },
  { query: VITALS, variables: json({ deployment: 'cf' }) },
  { query: DEPLOY, variables: json({ manifest: DEMO_MANIFEST }) },
  { query: TASK_EVENTS, variables: json({ id: '1' }) },
];
