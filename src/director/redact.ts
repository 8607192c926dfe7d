/**
 * Keeps credentials out of error messages. The Director's descriptions are kept as messages
 * (docs/director-api-notes.md §5), and a description could echo what was sent; so every message built
 * from a response passes through the redactor of the credentials used for that request.
 */

export type Redactor = (text: string) => string;

const REDACTED = '[redacted]';
/** Shorter strings are not worth hiding and would mangle ordinary words. */
const MIN_SECRET_LENGTH = 4;

export function makeRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const list = secrets
    .filter((s): s is string => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH)
    .sort((a, b) => b.length - a.length);
  if (list.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const secret of list) out = out.split(secret).join(REDACTED);
    return out;
  };
}

/** The parts of an Authorization header value that must never be shown: the whole, the token, the decoded Basic pair. */
export function secretsOfAuthorization(header: string | undefined): string[] {
  if (header === undefined) return [];
  const out = [header];
  const space = header.indexOf(' ');
  if (space > 0) {
    const token = header.slice(space + 1).trim();
    out.push(token);
    if (header.slice(0, space).toLowerCase() === 'basic') {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      out.push(decoded);
      const colon = decoded.indexOf(':');
      if (colon >= 0) out.push(decoded.slice(colon + 1));
    }
  }
  return out;
}
