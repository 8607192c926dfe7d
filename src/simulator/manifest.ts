/**
 * The checks a Director makes on a manifest before it creates a deploy task. Anything deeper is
 * checked inside the task (see jobs/plan.ts), where it fails the task rather than the request.
 */
import { parse } from 'yaml';

export type ManifestDoc = Record<string, unknown>;

export type ManifestCheck =
  | { ok: true; name: string; doc: ManifestDoc }
  | { ok: false; code: number; description: string };

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `validate_manifest_yml`, then (unless `needsName` is false) the deploy's `name` check. */
export function checkManifest(text: string, needsName = true): ManifestCheck {
  if (text.trim() === '') return { ok: false, code: 440001, description: 'Manifest should not be empty' };
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    return {
      ok: false,
      code: 440001,
      description: `Incorrect YAML structure of the uploaded manifest: ${reason}`,
    };
  }
  if (!isRecord(doc)) {
    return {
      ok: false,
      code: 440001,
      description: 'Manifest should be a hash',
    };
  }
  if (!needsName) return { ok: true, name: String(doc.name ?? ''), doc };
  const name = doc.name;
  if (typeof name !== 'string' || name === '') {
    return { ok: false, code: 40001, description: "Deployment manifest must have a 'name' key" };
  }
  return { ok: true, name, doc };
}

/** Ruby's `Time.rfc3339` accepts this shape (and no other). */
export function isRfc3339(value: string): boolean {
  return (
    /^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(?:\.\d+)?(?:[Zz]|[-+]\d\d:\d\d)$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}
