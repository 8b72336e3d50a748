import { createServer, request } from 'node:http';
import { ReseqClient } from 'reseq-client';

/**
 * The suite these tests run against, from the environment: `RESEQ_URL` (ingress), and with
 * security on `RESEQ_ADMIN_KEY` (ADMIN and READ) and `RESEQ_SENDER_KEY` (INGEST, channels `node-*`).
 */
export const suite = (() => {
  const url = process.env.RESEQ_URL;
  if (!url) {
    throw new Error('RESEQ_URL is not set: the end-to-end tests need a running suite (see NodeClientIntegrationTests)');
  }
  return { url, adminKey: process.env.RESEQ_ADMIN_KEY, senderKey: process.env.RESEQ_SENDER_KEY };
})();

export const admin = new ReseqClient({ baseUrl: suite.url, apiKey: suite.adminKey });
export const sender = new ReseqClient({ baseUrl: suite.url, apiKey: suite.senderKey });

/** Names unique to this run, so the tests can run again against the same suite. */
const run = `node-${Date.now().toString(36)}`;
export const named = (what) => `${run}-${what}`;

/** Starts an HTTP server on a free loopback port; `listener` is a request handler. */
export async function listen(listener) {
  const server = createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/in`,
    port: server.address().port,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

const routes = [];

/**
 * Creates a destination posting to `url` (with `transforms` and further `config`) and a channel
 * routing to it (with further `channel` configuration, such as `keepHeaders`), both called
 * `name`; resolves to the name.
 */
export async function route(name, url, transforms = [], config = {}, channel = {}) {
  await admin.putDestination(name, { type: 'HTTP', url, transforms, ...config });
  routes.push(name);
  await admin.putChannel(name, { destinations: [name], ...channel });
  return name;
}

/** Deletes what {@link route} created, so that a suite the tests ran against keeps no trace of them. */
export async function removeRoutes() {
  for (const name of routes.splice(0)) {
    await admin.deleteChannel(name).catch(() => {});
    await admin.deleteDestination(name, { force: true });
  }
}

/** Resolves once `condition()` is true, checking every 50 ms; rejects after `timeoutMs`. */
export async function eventually(condition, what, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * A proxy in front of ingress that answers the first `failures` posts itself with a `503`
 * problem, as ingress does while PostgreSQL cannot commit, and forwards everything else.
 */
export async function unavailableAtFirst(failures) {
  const seen = [];
  const target = new URL(suite.url);
  const proxy = await listen((req, res) => {
    seen.push({ method: req.method, idempotencyKey: req.headers['idempotency-key'] });
    if (req.method === 'POST' && seen.length <= failures) {
      req.resume();
      res.writeHead(503, { 'Content-Type': 'application/problem+json' });
      res.end(JSON.stringify({ type: 'https://reseq.dev/problems/store-unavailable', title: 'Store unavailable', status: 503 }));
      return;
    }
    const forwarded = request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (error) => res.destroy(error));
    req.pipe(forwarded);
  });
  return { url: `http://127.0.0.1:${proxy.port}`, seen, close: proxy.close };
}
