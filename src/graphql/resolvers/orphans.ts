import type { OrphanedDiskResolvers, OrphanedVmResolvers } from '../../generated/resolvers.js';
import { directorTime } from '../convert.js';

export const OrphanedDisk: OrphanedDiskResolvers = {
  cid: (d) => d.disk_cid,
  size: (d) => d.size ?? null,
  az: (d) => d.az ?? null,
  deploymentName: (d) => d.deployment_name,
  instanceName: (d) => d.instance_name,
  cloudProperties: (d) => d.cloud_properties ?? null,
  orphanedAt: (d) => directorTime(d.orphaned_at),
};

export const OrphanedVm: OrphanedVmResolvers = {
  cid: (vm) => vm.cid,
  az: (vm) => vm.az ?? null,
  deploymentName: (vm) => vm.deployment_name,
  instanceName: (vm) => vm.instance_name,
  ips: (vm) => vm.ip_addresses ?? [],
  orphanedAt: (vm) => directorTime(vm.orphaned_at),
};
