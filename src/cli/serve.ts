/**
 * `bosh-graphql serve`: runs the gateway in front of the configured Director, or, when none is
 * configured, in front of a simulated Director started in this process (so GraphiQL works on a
 * fresh clone).
 */
import { createHash } from 'node:crypto';
import {
  ConfigError,
  type DirectorConfig,
  parseServeConfig,
  type ServeConfig,
  serveHelp,
  wantsHelp,
} from '../config.js';
import type { DirectorClientOptions } from '../director/index.js';

/**
 * The Director client's options: the Director, and the settings that reach the client:
 * `--max-concurrency`, and `--poll-interval-ms` as the longest pause of a task wait (VM details).
 */
export function directorClientOptions(
  director: DirectorConfig,
  config: Pick<ServeConfig, 'maxConcurrency' | 'pollIntervalMs'>,
): DirectorClientOptions {
  return { ...director, maxConcurrency: config.maxConcurrency, taskPollIntervalMs: config.pollIntervalMs };
}

/** `bosh-graphql:<12 characters of the Director URL's hash>:`. */
function defaultRedisPrefix(directorUrl: string): string {
  return `bosh-graphql:${createHash('sha256').update(directorUrl).digest('hex').slice(0, 12)}:`;
}

export async function runServe(argv: string[]): Promise<number | undefined> {
  if (wantsHelp(argv)) {
    console.log(serveHelp());
    return 0;
  }
  let config: ServeConfig;
  try {
    config = parseServeConfig(argv, process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`bosh-graphql serve: ${error.message}`);
      return 2;
    }
    throw error;
  }

  // The server stack (yoga, undici, the schema) takes about a second to load: only load it once the
  // settings are good, so help and a bad setting answer at once.
  const [{ createGatewayRuntime }, { startSimulator }] = await Promise.all([
    import('../server/start.js'),
    import('../simulator/index.js'),
  ]);
  const stops: (() => Promise<void>)[] = [];
  let director: DirectorClientOptions;
  if (config.director) {
    director = directorClientOptions(config.director, config);
  } else {
    const simulator = await startSimulator({ host: '127.0.0.1', port: 0, tls: false, auth: 'basic' });
    stops.push(() => simulator.stop());
    const admin = simulator.users.admin!;
    director = directorClientOptions(
      { url: simulator.url, client: admin.username, clientSecret: admin.password },
      config,
    );
    console.log(
      [
        'No Director configured (BOSH_ENVIRONMENT or --director): serving a SIMULATED BOSH Director.',
        `  simulated Director: ${simulator.url} (requests without credentials act as ${admin.username})`,
        '  its users and seed data: docs/simulator.md',
      ].join('\n'),
    );
  }

  const runtime = createGatewayRuntime({
    director,
    ...(config.redis
      ? {
          redis: {
            url: config.redis.url,
            // One Director, one set of keys: replicas of another Director never share with these.
            prefix: config.redis.prefix ?? defaultRedisPrefix(String(director.url)),
          },
        }
      : {}),
    graphiql: config.graphiql,
    compressAnswers: config.compressAnswers,
    corsOrigins: config.corsOrigins,
    trustedDocuments: config.trustedDocuments?.documents,
    stream: {
      intervalMs: config.pollIntervalMs,
      unavailableAfterMs: config.unavailableAfterMs,
      maxPollers: config.maxPollers,
      maxPollersPerCaller: config.maxPollersPerCaller,
    },
    limits: {
      requestTimeoutMs: config.requestTimeoutMs,
      maxDirectorCalls: config.maxDirectorCalls,
      maxManifestBytes: config.maxManifestBytes,
    },
  });
  stops.unshift(() => runtime.close());
  let url: string;
  try {
    url = await runtime.gateway.listen(config.port, config.host);
  } catch (error) {
    await Promise.allSettled(stops.map((stop) => stop()));
    const code = (error as NodeJS.ErrnoException).code;
    console.error(
      `bosh-graphql serve: cannot listen on ${config.host}:${config.port} (${code ?? String(error)})`,
    );
    return 1;
  }
  console.log(`bosh-graphql is up: GraphQL${config.graphiql ? ' and GraphiQL' : ''} at ${url}`);
  if (config.director) console.log(`  Director: ${config.director.url}`);
  if (config.trustedDocuments) {
    const { file, documents } = config.trustedDocuments;
    console.log(
      `  Trusted documents only: the ${Object.keys(documents).length} of ${file}; any other operation is refused.${config.graphiql ? '' : ' GraphiQL is off (--graphiql turns it on).'}`,
    );
  }
  // Misconfiguration shows at once, one line per problem, naming the setting; serving goes on.
  for (const line of await runtime.startupReport(String(director.url))) console.error(line);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  console.log('bosh-graphql: shutting down');
  for (const stop of stops) await stop().catch(() => undefined);
  return 0;
}
