/**
 * One layout for the help of every `bosh-graphql` command, and one wording for a flag the command
 * does not know, so `serve`, `simulate` and `schema` read alike:
 *
 *     Usage: bosh-graphql serve [flags]
 *
 *     What the command does.
 *
 *     Flags:
 *       --port N  (env PORT)
 *           HTTP port to listen on. Default: 4000.
 *       -h, --help
 *           Show this help.
 */

export interface HelpEntry {
  /** The flag as typed, with its value's name: `--port N`, `--graphiql[=BOOL]`. */
  name: string;
  /** Its environment variable, when it has one. */
  env?: string;
  /** One sentence or two, ending with a full stop. */
  help: string;
  defaultText?: string;
}

export function helpText(options: {
  usage: string;
  about: readonly string[];
  entries: readonly HelpEntry[];
}) {
  const entries = [...options.entries, { name: '-h, --help', help: 'Show this help.' }].flatMap((e) => [
    `  ${e.name}${e.env ? `  (env ${e.env})` : ''}`,
    `      ${e.help}${e.defaultText === undefined ? '' : ` Default: ${e.defaultText}.`}`,
  ]);
  return [`Usage: ${options.usage}`, '', ...options.about, '', 'Flags:', ...entries].join('\n');
}

export const unknownFlag = (name: string) => `Unknown flag ${name} (see --help)`;
export const missingValue = (name: string) => `${name} needs a value`;
export const unexpectedArgument = (arg: string) =>
  `Unexpected argument '${arg}' (flags look like --port 4000; see --help)`;

/** The message of a `node:util` `parseArgs` error, worded as `serve` words its own. */
export function unknownFlagMessage(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return unknownFlag(quoted);
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '--port <value>' argument missing" or "... does not take an argument".
    const flag = quoted.split(' ')[0] ?? quoted;
    return /missing/.test(message) ? missingValue(flag) : `${flag} takes no value (see --help)`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return unexpectedArgument(quoted);
  return message;
}
