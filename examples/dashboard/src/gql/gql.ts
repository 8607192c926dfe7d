/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DeploymentsPage {\n    deployments {\n      name\n      teams\n      releases {\n        name\n        version\n      }\n      stemcells {\n        operatingSystem\n        version\n      }\n      vms {\n        instanceId\n        active\n      }\n    }\n  }\n": typeof types.DeploymentsPageDocument,
    "\n  query DeploymentVitals($name: String!) {\n    deployment(name: $name) {\n      name\n      vms {\n        cid\n        active\n        job\n        index\n        instanceId\n        az\n        ips\n        details {\n          jobState\n          vitals {\n            cpu {\n              user\n              sys\n              wait\n            }\n            mem {\n              percent\n            }\n            disks {\n              name\n              percent\n            }\n          }\n          processes {\n            name\n            state\n          }\n        }\n      }\n    }\n  }\n": typeof types.DeploymentVitalsDocument,
    "\n  query DeploymentDiff($manifest: String!) {\n    deploymentDiff(manifest: $manifest) {\n      lines {\n        text\n        change\n      }\n      cloudConfigIds\n      runtimeConfigIds\n    }\n  }\n": typeof types.DeploymentDiffDocument,
    "\n  mutation Deploy($manifest: String!, $options: DeployOptions) {\n    deploy(manifest: $manifest, options: $options) {\n      id\n      state\n      description\n      deploymentName\n    }\n  }\n": typeof types.DeployDocument,
    "\n  subscription TaskEvents($id: ID!) {\n    taskEvents(id: $id) {\n      __typename\n      time\n      ... on TaskStageEvent {\n        stage\n        tags\n        total\n        task\n        index\n        state\n        progress\n        error\n      }\n      ... on TaskErrorEvent {\n        code\n        message\n      }\n      ... on TaskWarningEvent {\n        message\n      }\n      ... on TaskDeprecationEvent {\n        message\n      }\n    }\n  }\n": typeof types.TaskEventsDocument,
    "\n  subscription TaskUpdated($id: ID!) {\n    taskUpdated(id: $id) {\n      id\n      state\n      result\n      finishedAt\n    }\n  }\n": typeof types.TaskUpdatedDocument,
    "\n  subscription RunningTasks {\n    runningTasks {\n      id\n      state\n      description\n      deploymentName\n      startedAt\n      user\n    }\n  }\n": typeof types.RunningTasksDocument,
};
const documents: Documents = {
    "\n  query DeploymentsPage {\n    deployments {\n      name\n      teams\n      releases {\n        name\n        version\n      }\n      stemcells {\n        operatingSystem\n        version\n      }\n      vms {\n        instanceId\n        active\n      }\n    }\n  }\n": types.DeploymentsPageDocument,
    "\n  query DeploymentVitals($name: String!) {\n    deployment(name: $name) {\n      name\n      vms {\n        cid\n        active\n        job\n        index\n        instanceId\n        az\n        ips\n        details {\n          jobState\n          vitals {\n            cpu {\n              user\n              sys\n              wait\n            }\n            mem {\n              percent\n            }\n            disks {\n              name\n              percent\n            }\n          }\n          processes {\n            name\n            state\n          }\n        }\n      }\n    }\n  }\n": types.DeploymentVitalsDocument,
    "\n  query DeploymentDiff($manifest: String!) {\n    deploymentDiff(manifest: $manifest) {\n      lines {\n        text\n        change\n      }\n      cloudConfigIds\n      runtimeConfigIds\n    }\n  }\n": types.DeploymentDiffDocument,
    "\n  mutation Deploy($manifest: String!, $options: DeployOptions) {\n    deploy(manifest: $manifest, options: $options) {\n      id\n      state\n      description\n      deploymentName\n    }\n  }\n": types.DeployDocument,
    "\n  subscription TaskEvents($id: ID!) {\n    taskEvents(id: $id) {\n      __typename\n      time\n      ... on TaskStageEvent {\n        stage\n        tags\n        total\n        task\n        index\n        state\n        progress\n        error\n      }\n      ... on TaskErrorEvent {\n        code\n        message\n      }\n      ... on TaskWarningEvent {\n        message\n      }\n      ... on TaskDeprecationEvent {\n        message\n      }\n    }\n  }\n": types.TaskEventsDocument,
    "\n  subscription TaskUpdated($id: ID!) {\n    taskUpdated(id: $id) {\n      id\n      state\n      result\n      finishedAt\n    }\n  }\n": types.TaskUpdatedDocument,
    "\n  subscription RunningTasks {\n    runningTasks {\n      id\n      state\n      description\n      deploymentName\n      startedAt\n      user\n    }\n  }\n": types.RunningTasksDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeploymentsPage {\n    deployments {\n      name\n      teams\n      releases {\n        name\n        version\n      }\n      stemcells {\n        operatingSystem\n        version\n      }\n      vms {\n        instanceId\n        active\n      }\n    }\n  }\n"): typeof import('./graphql').DeploymentsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeploymentVitals($name: String!) {\n    deployment(name: $name) {\n      name\n      vms {\n        cid\n        active\n        job\n        index\n        instanceId\n        az\n        ips\n        details {\n          jobState\n          vitals {\n            cpu {\n              user\n              sys\n              wait\n            }\n            mem {\n              percent\n            }\n            disks {\n              name\n              percent\n            }\n          }\n          processes {\n            name\n            state\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DeploymentVitalsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DeploymentDiff($manifest: String!) {\n    deploymentDiff(manifest: $manifest) {\n      lines {\n        text\n        change\n      }\n      cloudConfigIds\n      runtimeConfigIds\n    }\n  }\n"): typeof import('./graphql').DeploymentDiffDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Deploy($manifest: String!, $options: DeployOptions) {\n    deploy(manifest: $manifest, options: $options) {\n      id\n      state\n      description\n      deploymentName\n    }\n  }\n"): typeof import('./graphql').DeployDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TaskEvents($id: ID!) {\n    taskEvents(id: $id) {\n      __typename\n      time\n      ... on TaskStageEvent {\n        stage\n        tags\n        total\n        task\n        index\n        state\n        progress\n        error\n      }\n      ... on TaskErrorEvent {\n        code\n        message\n      }\n      ... on TaskWarningEvent {\n        message\n      }\n      ... on TaskDeprecationEvent {\n        message\n      }\n    }\n  }\n"): typeof import('./graphql').TaskEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TaskUpdated($id: ID!) {\n    taskUpdated(id: $id) {\n      id\n      state\n      result\n      finishedAt\n    }\n  }\n"): typeof import('./graphql').TaskUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunningTasks {\n    runningTasks {\n      id\n      state\n      description\n      deploymentName\n      startedAt\n      user\n    }\n  }\n"): typeof import('./graphql').RunningTasksDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
