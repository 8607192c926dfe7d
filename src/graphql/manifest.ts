/**
 * Checks a deployment manifest before anything is sent to the Director: a bad manifest is the
 * caller's mistake and should be reported with a position, not as a failed Director task.
 */
import { isMap, LineCounter, parseDocument } from 'yaml';
import { badUserInput } from './errors.js';

/** Parses the manifest and returns the deployment name, or throws BAD_USER_INPUT. */
export function checkManifest(manifest: string): string {
  if (manifest.trim() === '') throw badUserInput('The manifest is empty.', { field: 'manifest' });
  // With `prettyErrors: false` the library leaves `linePos` unset, so the position comes from a
  // LineCounter: without it the error named no line or column at all.
  const lineCounter = new LineCounter();
  const doc = parseDocument(manifest, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const [error] = doc.errors;
  if (error) {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw badUserInput(`The manifest is not valid YAML${where}: ${firstLine(error.message)}`, {
      field: 'manifest',
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  if (!isMap(doc.contents)) {
    throw badUserInput('The manifest must be a YAML mapping (key: value pairs at the top level).', {
      field: 'manifest',
    });
  }
  const name = doc.get('name');
  if (name === undefined || name === null) {
    throw badUserInput('The manifest has no `name` key: the Director takes the deployment name from it.', {
      field: 'manifest',
      missingKey: 'name',
    });
  }
  if (typeof name !== 'string' || name.trim() === '') {
    throw badUserInput('The manifest `name` must be a non-empty string.', { field: 'manifest', key: 'name' });
  }
  return name;
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}
