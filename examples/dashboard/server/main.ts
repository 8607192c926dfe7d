/**
 * `npm run example`: builds the dashboard, then runs this. PORT picks the port (default 4000).
 */
import { relative } from 'node:path';
import { startDashboard } from './start.js';

const port = Number(process.env.PORT ?? 4000);
try {
  const dashboard = await startDashboard({ port });
  console.log(
    [
      `Dashboard: ${dashboard.url}`,
      '  in front of a SIMULATED BOSH Director (docs/simulator.md); GraphQL on /graphql',
      `  trusted documents only: ${relative(process.cwd(), dashboard.manifest)}`,
      'Press Ctrl-C to stop.',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await dashboard.close();
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE'
      ? `example: cannot listen on 127.0.0.1:${port} (EADDRINUSE); set PORT to another port`
      : `example: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
