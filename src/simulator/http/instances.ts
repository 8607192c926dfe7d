/**
 * Finding an instance named in a path, as `instance_lookup.rb` does: all digits is an index,
 * anything else a uuid. Routes that act on one instance first check the segment's shape
 * (`validate_instance_index_or_id`): an integer, or something shaped like a uuid.
 */
import type { Deployment, Instance } from '../types.js';
import { directorError, type SimResponse } from './response.js';

const UUID_SHAPE = /^[A-Fa-f0-9]{8}-[A-Fa-f0-9-]{27}$/;

/** 400 70002 unless the segment is an integer or uuid-shaped. */
export function checkIndexOrId(value: string): SimResponse | null {
  if (/^\s*[-+]?\d+\s*$/.test(value) || UUID_SHAPE.test(value)) return null;
  return directorError(400, 70002, `Invalid instance index or id '${value}'`);
}

export function findInstance(d: Deployment, group: string, indexOrId: string): Instance | undefined {
  const byIndex = /^\d+$/.test(indexOrId);
  return d.instances.find(
    (i) => i.group === group && (byIndex ? i.index === Number(indexOrId) : i.id === indexOrId),
  );
}

export function instanceNotFound(d: Deployment, group: string, indexOrId: string): SimResponse {
  return directorError(404, 70001, `'${d.name}/${group}/${indexOrId}' doesn't exist`);
}
