/**
 * Checks a deployment manifest before anything is sent to the Director: a bad manifest is the
 * caller's mistake and should be reported with a position, not as a failed Director task.
 */
import { type Document, isMap, LineCounter, parseDocument } from 'yaml';
import { badUserInput } from './errors.js';

/**
 * Parses YAML that the Director will want as a hash (a manifest, a config's content), or throws
 * BAD_USER_INPUT naming `field` and the line and column of the first problem.
 */
export function checkYamlMapping(text: string, field: string, what = `The ${field}`): Document.Parsed {
  if (text.trim() === '') throw badUserInput(`${what} is empty.`, { field });
  // With `prettyErrors: false` the library leaves `linePos` unset, so the position comes from a
  // LineCounter: without it the error named no line or column at all.
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter });
  const [error] = doc.errors;
  if (error) {
    const pos = error.linePos?.[0] ?? lineCounter.linePos(error.pos[0]);
    const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
    throw badUserInput(`${what} is not valid YAML${where}: ${firstLine(error.message)}`, {
      field,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    });
  }
  if (!isMap(doc.contents)) {
    throw badUserInput(`${what} must be a YAML mapping (key: value pairs at the top level).`, { field });
  }
  return doc;
}

/** Parses the manifest and returns the deployment name, or throws BAD_USER_INPUT. */
export function checkManifest(manifest: string): string {
  const doc = checkYamlMapping(manifest, 'manifest');
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
