/**
 * Every operation the dashboard sends, in one place. graphql-codegen reads these and types each
 * `graphql()` call by its document; the build's trusted-documents manifest lists exactly these.
 */
import { graphql } from './gql/index.js';

export const DeploymentsPage = graphql(`
  query DeploymentsPage {
    deployments {
      name
      teams
      releases {
        name
        version
      }
      stemcells {
        operatingSystem
        version
      }
      vms {
        instanceId
        active
      }
    }
  }
`);

export const DeploymentVitals = graphql(`
  query DeploymentVitals($name: String!) {
    deployment(name: $name) {
      name
      vms {
        cid
        active
        job
        index
        instanceId
        az
        ips
        details {
          jobState
          vitals {
            cpu {
              user
              sys
              wait
            }
            mem {
              percent
            }
            disks {
              name
              percent
            }
          }
          processes {
            name
            state
          }
        }
      }
    }
  }
`);

export const DeploymentDiff = graphql(`
  query DeploymentDiff($manifest: String!) {
    deploymentDiff(manifest: $manifest) {
      lines {
        text
        change
      }
      cloudConfigIds
      runtimeConfigIds
    }
  }
`);

export const Deploy = graphql(`
  mutation Deploy($manifest: String!, $options: DeployOptions) {
    deploy(manifest: $manifest, options: $options) {
      id
      state
      description
      deploymentName
    }
  }
`);

export const TaskEvents = graphql(`
  subscription TaskEvents($id: ID!) {
    taskEvents(id: $id) {
      __typename
      time
      ... on TaskStageEvent {
        stage
        tags
        total
        task
        index
        state
        progress
        error
      }
      ... on TaskErrorEvent {
        code
        message
      }
      ... on TaskWarningEvent {
        message
      }
      ... on TaskDeprecationEvent {
        message
      }
    }
  }
`);

export const TaskUpdated = graphql(`
  subscription TaskUpdated($id: ID!) {
    taskUpdated(id: $id) {
      id
      state
      result
      finishedAt
    }
  }
`);

export const RunningTasks = graphql(`
  subscription RunningTasks {
    runningTasks {
      id
      state
      description
      deploymentName
      startedAt
      user
    }
  }
`);
