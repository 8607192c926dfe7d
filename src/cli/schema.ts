/**
 * `bosh-graphql schema`: prints the whole SDL (what `GET /schema.graphql` serves). `--out FILE`
 * writes it instead; `--check FILE` exits 1 when FILE differs, so CI can keep a committed copy
 * fresh (`npm run schema` and `npm run schema:check` do both for this repository's schema.graphql).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type HelpEntry, helpText, unknownFlagMessage } from '../config/help.js';
import { createSchema } from '../graphql/schema.js';
import { printGatewaySchema } from '../server/schema-route.js';

const ENTRIES: readonly HelpEntry[] = [
  { name: '--out FILE', help: 'Write the SDL to FILE instead of printing it.', defaultText: 'print it' },
  { name: '--check FILE', help: 'Exit 1 when FILE is not the current SDL.', defaultText: 'no check' },
];

export const SCHEMA_USAGE = helpText({
  usage: 'bosh-graphql schema [flags]',
  about: [
    'Prints the whole GraphQL schema (SDL, with descriptions): the input of frontend codegen.',
    'A running gateway serves the same text on GET /schema.graphql.',
  ],
  entries: ENTRIES,
});

export async function runSchema(argv: string[]): Promise<number> {
  let values: { out?: string; check?: string; help?: boolean };
  try {
    values = parseArgs({
      args: argv,
      options: { out: { type: 'string' }, check: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    console.error(`bosh-graphql schema: ${unknownFlagMessage(error)}`);
    return 2;
  }
  if (values.help) {
    console.log(SCHEMA_USAGE);
    return 0;
  }
  const sdl = printGatewaySchema(createSchema());
  if (values.check !== undefined) {
    let current: string | undefined;
    try {
      current = readFileSync(values.check, 'utf8');
    } catch {
      current = undefined;
    }
    if (current !== sdl) {
      console.error(
        `bosh-graphql schema: ${values.check} is ${current === undefined ? 'missing' : 'stale'}: run npm run schema`,
      );
      return 1;
    }
    return 0;
  }
  if (values.out !== undefined) {
    writeFileSync(values.out, sdl);
    return 0;
  }
  process.stdout.write(sdl);
  return 0;
}
