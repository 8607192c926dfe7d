/**
 * The `bosh-graphql` command: `serve` (the default) runs the gateway, `simulate` runs the
 * simulated BOSH Director on its own.
 */

/** Each command loads its own modules, so one command's help does not wait for the other's code. */
const runServe = async (argv: string[]) => (await import('./serve.js')).runServe(argv);
const runSimulate = async (argv: string[]) => (await import('./simulate.js')).runSimulate(argv);
const runSchema = async (argv: string[]) => (await import('./schema.js')).runSchema(argv);

const USAGE = `Usage: bosh-graphql [serve|simulate|schema] [flags]

Commands:
  serve      run the GraphQL gateway (default)
  simulate   run the simulated BOSH Director on its own
  schema     print the GraphQL schema (SDL) for frontend codegen

Run "bosh-graphql <command> --help" for the flags of a command.`;

export async function main(argv: string[]): Promise<number | undefined> {
  const [first, ...rest] = argv;
  if (first === undefined || first.startsWith('-')) {
    if (first === '--help' || first === '-h') {
      console.log(USAGE);
      return 0;
    }
    return runServe(argv);
  }
  switch (first) {
    case 'serve':
      return runServe(rest);
    case 'simulate':
      return runSimulate(rest);
    case 'schema':
      return runSchema(rest);
    case 'help':
      console.log(USAGE);
      return 0;
    default:
      console.error(`bosh-graphql: unknown command "${first}"\n\n${USAGE}`);
      return 2;
  }
}
