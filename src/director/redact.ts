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

const REDACT_PATTERNS: readonly [RegExp, string][] = [
  // PEM blocks (private keys, certificates pasted into a manifest).
  [/-----BEGIN [A-Z ]+-----[\s\S]*?(?:-----END [A-Z ]+-----|$)/g, REDACTED],
  // Authorization values and tokens.
  [/\b(Basic|Bearer)\s+[A-Za-z0-9+/=._~-]{8,}/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/g, REDACTED],
  // key: value and key=value pairs whose key names a secret.
  [
    /\b([\w.-]*(?:password|passwd|secret|token|credential|private_key|api_key)[\w.-]*)(["']?\s*[:=]\s*["']?)[^\s"',;}]+/gi,
    `$1$2${REDACTED}`,
  ],
  // Any URL: it names hosts (the Director's, its UAA's, a blobstore's) and may carry userinfo.
  [/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, '[url]'],
];

/**
 * Scrubs a Director description before it becomes a message a client may read: no URL, no host
 * or address of the Director, nothing that looks like a credential (README, "Errors"). Director
 * descriptions can quote what they were sent, a manifest's properties, or their own address.
 */
export function scrubDirectorText(text: string, origin: string): string {
  let out = text;
  for (const [pattern, replacement] of REDACT_PATTERNS) out = out.replace(pattern, replacement);
  let host: string | undefined;
  try {
    host = new URL(origin).hostname.replace(/^\[|\]$/g, '');
  } catch {
    host = undefined;
  }
  if (host) out = out.split(host).join('[director]');
  return out;
}
