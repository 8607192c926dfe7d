/**
 * Reading `serve` flags: `--name value`, `--name=value`, bare `--flag` and `--no-flag` for
 * booleans. A value that starts with `--` must be written `--name=--value`, so a forgotten value
 * is reported instead of swallowing the next flag.
 */
import { ConfigError } from './error.js';
import { missingValue, unexpectedArgument, unknownFlag } from './help.js';
import { SERVE_SETTINGS, type Setting } from './settings.js';

/** A value and how the user spelled its setting (the flag or the variable name), for messages. */
export interface RawValue {
  value: string;
  source: string;
}

export const HELP_FLAGS: ReadonlySet<string> = new Set(['--help', '-h']);

export function readArgv(argv: readonly string[]): Map<Setting, RawValue> {
  const byFlag = new Map(SERVE_SETTINGS.map((s) => [s.flag, s]));
  const found = new Map<Setting, RawValue>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (HELP_FLAGS.has(arg)) continue;
    if (!arg.startsWith('--')) {
      throw new ConfigError(unexpectedArgument(arg), arg);
    }
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const negated = name.startsWith('--no-') ? byFlag.get(`--${name.slice(5)}`) : undefined;
    if (negated?.kind === 'boolean' && eq === -1) {
      found.set(negated, { value: 'false', source: name });
      continue;
    }
    const setting = byFlag.get(name);
    if (!setting) throw new ConfigError(unknownFlag(name), name);
    if (eq !== -1) {
      found.set(setting, { value: arg.slice(eq + 1), source: name });
    } else if (setting.kind === 'boolean') {
      found.set(setting, { value: 'true', source: name });
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new ConfigError(missingValue(name), name);
      found.set(setting, { value: next, source: name });
      i++;
    }
  }
  return found;
}
