/**
 * Manifests of the seeded deployments, deployed (and partly failed, cancelled, scaled) by the seed
 * replay. They are kept as text: the simulator stores and returns the manifest exactly as sent.
 */

const STEMCELLS_BLOCK = `stemcells:
- alias: default
  os: ubuntu-jammy
  version: latest
`;

export const CF_MANIFEST = `---
name: cf

releases:
- name: bpm
  version: latest
- name: nats
  version: 56.10.0
- name: routing
  version: latest
- name: diego
  version: latest
- name: postgres
  version: latest

${STEMCELLS_BLOCK}
update:
  canaries: 1
  max_in_flight: 2
  canary_watch_time: 30000-1200000
  update_watch_time: 5000-1200000
  serial: true

instance_groups:
- name: nats
  instances: 2
  azs: [z1, z2]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: nats, release: nats, properties: {nats: {user: nats, password: ((nats_password))}}}
  - {name: bpm, release: bpm}
- name: database
  instances: 1
  azs: [z1]
  vm_type: default
  persistent_disk_type: default
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: postgres, release: postgres}
- name: router
  instances: 2
  azs: [z1, z2]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: gorouter, release: routing}
  - {name: bpm, release: bpm}
- name: diego-api
  instances: 2
  azs: [z1, z2]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: bbs, release: diego}
  - {name: bpm, release: bpm}
- name: diego-cell
  instances: 3
  azs: [z1, z2, z3]
  vm_type: large
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: rep, release: diego}
  - {name: route_emitter, release: diego}
  - {name: bpm, release: bpm}
`;

export function zookeeperManifest(instances: number): string {
  return `---
name: zookeeper

releases:
- name: zookeeper
  version: latest

${STEMCELLS_BLOCK}
update:
  canaries: 2
  max_in_flight: 1
  canary_watch_time: 5000-60000
  update_watch_time: 5000-60000

instance_groups:
- name: zookeeper
  azs: [z1, z2, z3]
  instances: ${instances}
  jobs:
  - name: zookeeper
    release: zookeeper
    properties: {}
  - name: status
    release: zookeeper
    properties: {}
  vm_type: default
  stemcell: default
  persistent_disk: 10240
  networks:
  - name: default
- name: smoke-tests
  lifecycle: errand
  azs: [z1]
  instances: 1
  jobs:
  - name: smoke-tests
    release: zookeeper
    properties: {}
  vm_type: default
  stemcell: default
  networks:
  - name: default
`;
}

export function redisManifest(failing: boolean): string {
  return `---
name: redis

releases:
- name: redis
  version: latest

${STEMCELLS_BLOCK}
update:
  canaries: 1
  max_in_flight: 1
  canary_watch_time: 1000-30000
  update_watch_time: 1000-30000

instance_groups:
- name: redis
  instances: 2
  azs: [z2, z3]
  vm_type: small
  stemcell: default
  persistent_disk_type: default
  networks: [{name: default}]
  jobs:
  - name: redis
    release: redis
    properties:
      password: ((redis_password))${failing ? '\n      maxmemory: 10gb\n      simulate_failure: true' : '\n      maxmemory: 1gb'}
  - {name: redis-sentinel, release: redis}
`;
}

export const CONCOURSE_MANIFEST = `---
name: concourse

releases:
- name: concourse
  version: latest
- name: postgres
  version: latest
- name: bpm
  version: latest

${STEMCELLS_BLOCK}
update:
  canaries: 1
  max_in_flight: 2
  canary_watch_time: 1000-60000
  update_watch_time: 1000-60000

instance_groups:
- name: web
  instances: 1
  azs: [z1]
  vm_type: default
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: web, release: concourse, properties: {external_url: "https://ci.example.com"}}
  - {name: bpm, release: bpm}
- name: db
  instances: 1
  azs: [z1]
  vm_type: default
  persistent_disk_type: large
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: postgres, release: postgres}
- name: worker
  instances: 2
  azs: [z2, z3]
  vm_type: large
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: worker, release: concourse}
`;

export const NGINX_MANIFEST = `---
name: nginx-test

releases:
- name: nginx
  version: latest

${STEMCELLS_BLOCK}
update:
  canaries: 1
  max_in_flight: 1
  canary_watch_time: 1000-30000
  update_watch_time: 1000-30000

instance_groups:
- name: nginx
  instances: 1
  azs: [z1]
  vm_type: small
  stemcell: default
  networks: [{name: default}]
  jobs:
  - {name: nginx, release: nginx}

properties:
  nginx_conf: |
    worker_processes 1;
`;
