import { defineConfig } from 'vitest/config';

// CI (.ci/run) asks for a JSON report so that its closing line uses vitest's own counts.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  resolve: {
    // graphql ships a CommonJS and an ESM build. Under plain Node the whole process gets one
    // (yoga and our code alike); under vitest our modules would get the ESM one while yoga keeps
    // the CommonJS one, and `instanceof GraphQLError` or graphql's is*Type checks would fail
    // across the two. One build in tests too, as in production.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Say once, loudly, when the browser or Redis tests are skipped for want of Chromium or Redis.
    globalSetup: ['test/helpers/chromium-notice.ts', 'test/helpers/redis-notice.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: jsonReport ? ['default', ['json', { outputFile: jsonReport }]] : ['default'],
  },
});
