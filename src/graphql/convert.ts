/** Small conversions from the Director's wire formats to the schema's. */

import type { TaskState as WireTaskState } from '../director/types.js';
import type { TaskState } from '../generated/resolvers.js';
import { badUserInput } from './errors.js';

/** Epoch seconds (or null: the Director sends null for "not yet") to an ISO-8601 UTC string. */
export function epochToIso(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  return new Date(seconds * 1000).toISOString();
}

/** ISO strings from the Director (vm_created_at) pass through normalised; junk becomes null. */
export function isoOrNull(value: string | null | undefined): string | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

/** The Director sends vitals as strings ("0.3", "12"); the schema gives numbers. */
export function num(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : null;
}

export function toTaskState(state: WireTaskState): TaskState {
  return state.toUpperCase() as TaskState;
}

export function toWireStates(states: readonly TaskState[] | null | undefined): WireTaskState[] | undefined {
  return states && states.length > 0 ? states.map((s) => s.toLowerCase() as WireTaskState) : undefined;
}

/** Task ids are numeric on every Director; anything else is refused before any Director call. */
export function parseTaskId(id: string): number {
  if (!/^\d{1,15}$/.test(id))
    throw badUserInput(`Task id must be a positive integer, got "${id.slice(0, 40)}".`);
  return Number(id);
}

/** Bounds of `limit` arguments: the Director has no default, so the gateway always sends one. */
export function checkLimit(limit: number | null | undefined, fallback = 30): number {
  const value = limit ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > 1000) {
    throw badUserInput(`limit must be between 1 and 1000, got ${value}.`);
  }
  return value;
}

/** The Director refuses context ids over 64 characters (error 70010); say so before sending. */
export function checkContextId(contextId: string | null | undefined): string | undefined {
  if (contextId === null || contextId === undefined || contextId === '') return undefined;
  if (contextId.length > 64) {
    throw badUserInput(`contextId must be at most 64 characters, got ${contextId.length}.`);
  }
  return contextId;
}

/**
 * Times the Director writes with Ruby's `Time#to_s` (`2026-08-22 10:43:39 UTC`, configs and
 * orphans), or as `-0700` offsets or RFC 3339, the three forms bosh-cli reads; junk becomes null.
 */
export function directorTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const ruby = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) (UTC|[+-]\d{4})$/.exec(value.trim());
  const text = ruby ? `${ruby[1]}T${ruby[2]}${ruby[3] === 'UTC' ? 'Z' : ruby[3]}` : value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
