/**
 * The hand-written aggregator of the aggregator benchmark: a small node:http server that answers
 * the benchmark's three GraphQL documents with the fewest Director REST calls, through undici, and
 * the same bytes as the gateway. Nothing else: no schema, no validation, no limits. It is what a
 * careful engineer would write for exactly these three screens, so it is the floor the gateway's
 * request path is measured against.
 *
 * Messages (IPC): {stats} -> {cpu}; {stop}.   tsx bench/lib/aggregator-child.ts <director url>
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import type { WireDeployment, WireStemcell, WireVm } from '../../src/director/types.js';
import { SHAPES } from './aggregator-shapes.js';

const director = new Pool(process.argv[2] as string, { connections: 32 });

async function get<T>(path: string, authorization: string | undefined): Promise<T> {
  const { statusCode, body } = await director.request({
    method: 'GET',
    path,
    headers: { accept: 'application/json', ...(authorization ? { authorization } : {}) },
  });
  if (statusCode !== 200) {
    await body.dump();
    throw new Error(`GET ${path}: ${statusCode}`);
  }
  return (await body.json()) as T;
}

type Answer = (authorization: string | undefined) => Promise<unknown>;

const ANSWERS: Record<string, Answer> = {
  // Release names and versions come with the deployments list; operating systems and each
  // stemcell's deployments need /stemcells: 2 calls, the floor.
  [SHAPES.page]: async (auth) => {
    const [deployments, stemcells] = await Promise.all([
      get<WireDeployment[]>('/deployments', auth),
      get<WireStemcell[]>('/stemcells', auth),
    ]);
    const visible = new Set(deployments.map((d) => d.name));
    return {
      deployments: deployments.map((d) => ({
        name: d.name,
        releases: (d.releases ?? []).map((r) => ({ version: r.version, release: { name: r.name } })),
        stemcells: (d.stemcells ?? []).flatMap((ref) =>
          stemcells
            .filter((s) => s.name === ref.name && s.version === ref.version)
            .map((s) => ({
              operatingSystem: s.operating_system,
              deployments: s.deployments.filter((x) => visible.has(x.name)).map((x) => ({ name: x.name })),
            })),
        ),
      })),
    };
  },
  // No batch endpoint: the list, then one /vms per deployment, in parallel.
  [SHAPES.vms]: async (auth) => {
    const deployments = await get<WireDeployment[]>('/deployments', auth);
    const vms = await Promise.all(
      deployments.map((d) => get<WireVm[]>(`/deployments/${encodeURIComponent(d.name)}/vms`, auth)),
    );
    return { deployments: vms.map((list) => ({ vms: list.map((vm) => ({ cid: vm.cid })) })) };
  },
  [SHAPES.trivial]: async () => ({ __typename: 'Query' }),
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const server = createServer(async (req, res) => {
  try {
    const { query } = JSON.parse(await readBody(req)) as { query?: string };
    const answer = query === undefined ? undefined : ANSWERS[query];
    if (!answer) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('not one of the three documents');
      return;
    }
    const body = JSON.stringify({ data: await answer(req.headers.authorization) });
    res.writeHead(200, {
      'content-type': 'application/graphql-response+json; charset=utf-8',
      'content-length': Buffer.byteLength(body),
    });
    res.end(body);
  } catch (error) {
    res.writeHead(502, { 'content-type': 'text/plain' }).end(String(error));
  }
});
server.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

process.on('message', (message: { kind: string }) => {
  if (message.kind === 'stats') process.send?.({ kind: 'stats', cpu: process.cpuUsage() });
  else if (message.kind === 'stop') {
    server.closeAllConnections();
    server.close(() => void director.close().then(() => process.exit(0)));
  }
});
process.send?.({ kind: 'ready', url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql` });
