/** Checking and converting one setting's value; each failure is one `ConfigError` line. */
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DirectorUrlError, parseDirectorUrl } from '../director/url.js';
import type { RawValue } from './argv.js';
import { ConfigError } from './error.js';
import type { Setting } from './settings.js';

function shown(setting: Setting, raw: RawValue): string {
  return setting.kind === 'secret' ? 'the value given' : `'${raw.value}'`;
}

export function text(setting: Setting, raw: RawValue): string {
  if (raw.value.trim() === '') throw new ConfigError(`Invalid ${raw.source}: it is empty`, setting.flag);
  return raw.value;
}

export function integer(setting: Setting, raw: RawValue): number {
  const [min, max] = setting.range ?? [0, Number.MAX_SAFE_INTEGER];
  const trimmed = raw.value.trim();
  const n = /^\d+$/.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(
      `Invalid ${raw.source}: ${shown(setting, raw)} is not a whole number from ${min} to ${max}`,
      setting.flag,
    );
  }
  return n;
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

export function boolean(setting: Setting, raw: RawValue): boolean {
  const word = raw.value.trim().toLowerCase();
  if (TRUE.has(word)) return true;
  if (FALSE.has(word)) return false;
  throw new ConfigError(`Invalid ${raw.source}: ${shown(setting, raw)} is not true or false`, setting.flag);
}

/** The Director's origin; the rules (https, 25555, http only for loopback) are the client's own. */
export function directorUrl(setting: Setting, raw: RawValue): string {
  try {
    return parseDirectorUrl(raw.value);
  } catch (error) {
    if (!(error instanceof DirectorUrlError)) throw error;
    throw new ConfigError(`Invalid ${raw.source}: ${error.message}`, setting.flag);
  }
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Like bosh-cli's `BOSH_CA_CERT`: the PEM text itself, or a path to a file holding it. */
export function caCertificate(setting: Setting, raw: RawValue): string {
  const isPem = raw.value.includes('-----BEGIN');
  const what = isPem ? 'the PEM text given' : `the file '${raw.value}'`;
  let pem = raw.value;
  if (!isPem) {
    try {
      pem = readFileSync(raw.value, 'utf8');
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      throw new ConfigError(
        `Invalid ${raw.source}: '${raw.value}' is neither a readable file nor PEM text${typeof code === 'string' ? ` (${code})` : ''}`,
        setting.flag,
      );
    }
  }
  const blocks = pem.match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    throw new ConfigError(`Invalid ${raw.source}: ${what} holds no PEM certificate`, setting.flag);
  }
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      throw new ConfigError(`Invalid ${raw.source}: ${what} holds a malformed certificate`, setting.flag);
    }
  }
  return pem;
}

/**
 * Web origins, separated by commas (or white space): each a scheme (http or https), a host and an
 * optional port, as browsers send them in `Origin`. Returned in that serialised form, so they
 * compare equal to the header: lower case, without a default port or a trailing slash.
 */
export function origins(setting: Setting, raw: RawValue): string[] {
  const entries = raw.value.split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.length === 0) throw new ConfigError(`Invalid ${raw.source}: it names no origin`, setting.flag);
  const found = new Set<string>();
  for (const entry of entries) {
    if (entry === '*' || entry === 'null') {
      throw new ConfigError(
        `Invalid ${raw.source}: '${entry}' would let any web page act as the gateway's client; list the origins instead`,
        setting.flag,
      );
    }
    let url: URL | undefined;
    try {
      url = new URL(entry);
    } catch {
      url = undefined;
    }
    const isOrigin =
      url !== undefined &&
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.hostname !== '' &&
      url.username === '' &&
      url.password === '' &&
      url.pathname === '/' &&
      !/[?#]/.test(entry);
    if (!url || !isOrigin) {
      // Never echo what could be a password.
      const what = entry.includes('@') ? 'an entry with user info' : `'${entry}'`;
      throw new ConfigError(
        `Invalid ${raw.source}: ${what} is not a web origin (http or https, a host and an optional port, like https://app.example.com:8443)`,
        setting.flag,
      );
    }
    found.add(url.origin);
  }
  return [...found];
}

/**
 * A persisted-documents manifest, as graphql-codegen's client preset writes it: a JSON object of
 * document id to document text (`--trusted-documents`).
 */
export function documentManifest(setting: Setting, raw: RawValue): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(raw.value, 'utf8');
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(
      `Invalid ${raw.source}: cannot read the file '${raw.value}'${typeof code === 'string' ? ` (${code})` : ''}`,
      setting.flag,
    );
  }
  let manifest: unknown;
  try {
    manifest = JSON.parse(text);
  } catch {
    manifest = undefined;
  }
  const entries =
    manifest !== null && typeof manifest === 'object' && !Array.isArray(manifest)
      ? Object.entries(manifest)
      : [];
  if (
    entries.length === 0 ||
    entries.some(([, document]) => typeof document !== 'string' || document === '')
  ) {
    throw new ConfigError(
      `Invalid ${raw.source}: '${raw.value}' is not a persisted-documents manifest (a JSON object of document id to document text, as graphql-codegen's client preset writes it)`,
      setting.flag,
    );
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

/** A Redis URL: redis:// or rediss:// with a host. Its password is never shown. */
export function redisUrl(setting: Setting, raw: RawValue): string {
  const value = raw.value.trim();
  let parsed: URL | undefined;
  try {
    parsed = new URL(value);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') || !parsed.hostname) {
    throw new ConfigError(
      `Invalid ${raw.source}: the value given is not a redis:// or rediss:// URL with a host`,
      setting.flag,
    );
  }
  return value;
}
