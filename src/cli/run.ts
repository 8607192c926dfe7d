/**
 * The command run from the sources, for `npm run dev` (tsx): what bin/bosh-graphql.js does with
 * the built dist/.
 */
import { main } from './main.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  },
);
