/**
 * A mutation whose task started, but whose read-back the Director refused with a 401, must not
 * answer HTTP 401: clients that retry on a 401 (bosh-cli's auth adjuster does) would start a
 * second task. A scripted Director answers the deploy with a 302, then refuses the read-back.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { createGatewayRuntime, type GatewayRuntime } from '../../src/server/start.js';

let server: http.Server | undefined;
let runtime: GatewayRuntime | undefined;
afterEach(async () => {
  await runtime?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
});

it('answers HTTP 200 with the task id when the read-back of a started deploy is refused', async () => {
  const posts: string[] = [];
  server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'POST' && path === '/deployments') {
      posts.push(path);
      req.resume();
      res.writeHead(302, { location: 'https://director.example:25555/tasks/77' });
      res.end();
      return;
    }
    if (path === '/tasks/77') {
      res.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Basic realm="BOSH Director"' });
      res.end("Not authorized: '/tasks/77'\n");
      return;
    }
    res.writeHead(404);
    res.end(`Endpoint '${path}' not found.`);
  });
  const url = await new Promise<string>((resolve) =>
    server!.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server!.address() as AddressInfo).port}`),
    ),
  );
  runtime = createGatewayRuntime({ director: { url }, graphiql: false });
  const response = await runtime.gateway.yoga.fetch('http://gateway/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Basic YWRtaW46YWRtaW4=' },
    body: JSON.stringify({ query: 'mutation { deploy(manifest: "name: demo\\n") { id } }' }),
  });
  const body = (await response.json()) as { errors: { extensions: Record<string, unknown> }[] };
  expect(response.status).toBe(200);
  expect(body.errors[0]!.extensions).toMatchObject({ code: 'UNAUTHENTICATED', taskId: '77' });
  expect(posts).toEqual(['/deployments']);
});
