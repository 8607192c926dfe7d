#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (`npm run build`, or `npm start` builds when needed).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);
