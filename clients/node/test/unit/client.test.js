import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { ReseqClient, ReseqError } from 'reseq-client';
import { accepted, problem, scriptedServer } from './scripted-server.js';

const fastRetry = { attempts: 5, initialDelayMs: 10, maxDelayMs: 50 };
let server;

afterEach(() => server?.close());

describe('send', () => {
  test('retries 503 and 429 under one idempotency key, honouring Retry-After, until the 202', async () => {
    server = await scriptedServer([
      problem(503, 'store-unavailable', 'PostgreSQL cannot commit'),
      problem(429, 'backlog-exceeded', 'too many undelivered', { 'Retry-After': '1' }),
      accepted('m-7', 7),
    ]);
    const retries = [];
    const client = new ReseqClient({ baseUrl: server.url, apiKey: 'k-1', retry: fastRetry, onRetry: (r) => retries.push(r) });

    const started = Date.now();
    const receipt = await client.send('orders', { id: 42 });

    assert.deepEqual(receipt, { messageId: 'm-7', channel: 'orders', deliveries: [{ destination: 'billing', sequence: 7 }], replayed: false });
    assert.equal(server.requests.length, 3);
    const keys = new Set(server.requests.map((r) => r.headers['idempotency-key']));
    assert.equal(keys.size, 1, 'every attempt carries the same Idempotency-Key');
    assert.match([...keys][0], /^[0-9a-f-]{36}$/);
    assert.ok(server.requests.every((r) => r.headers.authorization === 'Bearer k-1'));
    assert.deepEqual(retries.map((r) => r.error.status), [503, 429]);
    assert.equal(retries[1].delayMs, 1000, 'Retry-After: 1 is waited for as given');
    assert.ok(Date.now() - started >= 1000);
  });

  test('retries a network error and keeps the caller’s idempotency key', async () => {
    server = await scriptedServer(['drop', accepted()]);
    const client = new ReseqClient({ baseUrl: server.url, retry: fastRetry });

    await client.send('orders', 'text', { contentType: 'text/plain', idempotencyKey: 'k-1' });

    assert.deepEqual(server.requests.map((r) => r.headers['idempotency-key']), ['k-1', 'k-1']);
    assert.equal(server.requests[1].headers['content-type'], 'text/plain');
  });

  test('rejects a 404 at once with a ReseqError carrying the problem', async () => {
    server = await scriptedServer([problem(404, 'not-found', "No channel named 'nope'")]);
    const client = new ReseqClient({ baseUrl: server.url, retry: fastRetry });

    const error = await client.send('nope', { id: 1 }).catch((e) => e);

    assert.ok(error instanceof ReseqError);
    assert.equal(error.status, 404);
    assert.equal(error.code, 'not-found');
    assert.equal(error.problem.detail, "No channel named 'nope'");
    assert.match(error.message, /POST .*\/api\/v1\/channels\/nope\/messages: 404 No channel named 'nope'/);
    assert.equal(server.requests.length, 1, 'a 404 is not retried');
  });

  test('gives up after the configured attempts with the last error', async () => {
    server = await scriptedServer([problem(503, 'store-unavailable', 'down')]);
    const client = new ReseqClient({ baseUrl: server.url, retry: { ...fastRetry, attempts: 3 } });

    await assert.rejects(client.send('orders', 'x'), (e) => e instanceof ReseqError && e.status === 503);
    assert.equal(server.requests.length, 3);
  });

  test('stops retrying when the caller aborts', async () => {
    server = await scriptedServer([problem(503, 'store-unavailable', 'down', { 'Retry-After': '30' })]);
    const client = new ReseqClient({ baseUrl: server.url });

    await assert.rejects(client.send('orders', 'x', { signal: AbortSignal.timeout(200) }), { name: 'TimeoutError' });
    assert.equal(server.requests.length, 1);
  });

  test('sends objects as JSON, strings as text and bytes as they are', async () => {
    server = await scriptedServer([accepted()]);
    const client = new ReseqClient({ baseUrl: server.url });

    await client.send('orders', { id: 42 });
    await client.send('orders', 'héllo');
    await client.send('orders', Buffer.from([1, 2, 3]));

    assert.deepEqual(
      server.requests.map((r) => [r.headers['content-type'], r.body]),
      [['application/json', '{"id":42}'], ['text/plain; charset=utf-8', 'héllo'], ['application/octet-stream', '\x01\x02\x03']],
    );
  });

  test('reports a replayed idempotency key', async () => {
    server = await scriptedServer([accepted('m-1', 1, { 'Idempotent-Replayed': 'true' })]);
    const receipt = await new ReseqClient({ baseUrl: server.url }).send('orders', 'x', { idempotencyKey: 'k' });
    assert.equal(receipt.replayed, true);
  });
});

describe('sendMany', () => {
  test('keeps to the concurrency and resolves receipts in call order', async () => {
    let n = 0;
    server = await scriptedServer([
      async (request) => {
        // Answer later requests sooner, so that completion order differs from call order.
        const index = JSON.parse(request.body).i;
        await new Promise((resolve) => setTimeout(resolve, 60 - index * 5));
        return accepted(`m-${index}`, ++n);
      },
    ]);
    const client = new ReseqClient({ baseUrl: server.url });

    const receipts = await client.sendMany('orders', Array.from({ length: 10 }, (_, i) => ({ body: { i } })), { concurrency: 3 });

    assert.deepEqual(receipts.map((r) => r.messageId), Array.from({ length: 10 }, (_, i) => `m-${i}`));
    assert.equal(server.maxInFlight(), 3);
  });

  test('sends nothing more after a failure and rejects with it', async () => {
    server = await scriptedServer([accepted(), problem(404, 'not-found', 'gone'), accepted()]);
    const client = new ReseqClient({ baseUrl: server.url });

    const messages = Array.from({ length: 5 }, (_, i) => ({ body: `m${i}` }));
    await assert.rejects(client.sendMany('orders', messages, { concurrency: 1 }), { status: 404 });
    assert.equal(server.requests.length, 2);
  });
});

describe('sendBatch', () => {
  test('posts one request with a key per item, stored as send would store each, and retries it whole', async () => {
    const receipts = [1, 2, 3].map((sequence) => ({ messageId: `m-${sequence}`, channel: 'orders', deliveries: [{ destination: 'billing', sequence }] }));
    server = await scriptedServer([
      problem(503, 'store-unavailable', 'PostgreSQL cannot commit'),
      { status: 202, headers: { 'Content-Type': 'application/json' }, body: { receipts } },
    ]);
    const client = new ReseqClient({ baseUrl: server.url, apiKey: 'k-1', retry: fastRetry });

    const answered = await client.sendBatch('orders', [
      { body: { id: 1 } },
      { body: 'two', idempotencyKey: 'k-2' },
      { body: Buffer.from([0, 255]), contentType: 'application/x-raw' },
    ]);

    assert.deepEqual(answered, receipts);
    assert.equal(server.requests.length, 2);
    const [first, retry] = server.requests;
    assert.equal(first.url, '/api/v1/channels/orders/messages/batch');
    assert.equal(first.headers['content-type'], 'application/json');
    assert.equal(first.headers.authorization, 'Bearer k-1');
    assert.equal(retry.body, first.body, 'the retry is the same request, keys included');
    const items = JSON.parse(first.body);
    assert.deepEqual(items[0].body, { id: 1 });
    assert.deepEqual([items[1].bodyBase64, items[1].contentType, items[1].idempotencyKey],
      [Buffer.from('two').toString('base64'), 'text/plain; charset=utf-8', 'k-2']);
    assert.deepEqual([items[2].bodyBase64, items[2].contentType], ['AP8=', 'application/x-raw']);
    assert.ok(items.every((item) => typeof item.idempotencyKey === 'string' && item.idempotencyKey.length > 0));
  });

  test('rejects a refused batch at once with the problem naming the item', async () => {
    server = await scriptedServer([problem(400, 'invalid-request', '[1].bodyBase64 is not valid base64')]);
    const client = new ReseqClient({ baseUrl: server.url, retry: fastRetry });

    const error = await client.sendBatch('orders', [{ body: 1 }, { body: 2 }]).catch((e) => e);

    assert.ok(error instanceof ReseqError);
    assert.equal(error.status, 400);
    assert.equal(server.requests.length, 1);
  });
});

describe('admin', () => {
  test('puts a destination as JSON and names the actor', async () => {
    server = await scriptedServer([{ status: 201, headers: { 'Content-Type': 'application/json' }, body: { name: 'billing', type: 'HTTP' } }]);
    const client = new ReseqClient({ baseUrl: `${server.url}/`, apiKey: 'ops', actor: 'alice' });

    const destination = await client.putDestination('billing', { type: 'HTTP', url: 'http://127.0.0.1:3000/in' });

    assert.equal(destination.name, 'billing');
    const [request] = server.requests;
    assert.equal(request.method, 'PUT');
    assert.equal(request.url, '/admin/v1/destinations/billing');
    assert.deepEqual(JSON.parse(request.body), { type: 'HTTP', url: 'http://127.0.0.1:3000/in' });
    assert.equal(request.headers['x-reseq-actor'], 'alice');
    assert.equal(request.headers.authorization, 'Bearer ops');
  });

  test('resolves a 204 to undefined and does not retry a failed admin call', async () => {
    server = await scriptedServer([{ status: 204 }, problem(503, 'store-unavailable', 'down')]);
    const client = new ReseqClient({ baseUrl: server.url });

    assert.equal(await client.pauseDestination('billing'), undefined);
    await assert.rejects(client.retryHead('billing'), { name: 'ReseqError', status: 503 });
    assert.deepEqual(server.requests.map((r) => `${r.method} ${r.url}`), [
      'POST /admin/v1/destinations/billing/pause',
      'POST /admin/v1/destinations/billing/head/retry',
    ]);
  });

  test('pages dead letters', async () => {
    server = await scriptedServer([{ status: 200, headers: { 'Content-Type': 'application/json' }, body: [] }]);
    await new ReseqClient({ baseUrl: server.url }).deadLetters('billing', { after: 40, limit: 10 });
    assert.equal(server.requests[0].url, '/admin/v1/destinations/billing/dead-letters?after=40&limit=10');
  });
});

describe('headers', () => {
  test('send passes further headers to ingest next to its own, on every attempt', async () => {
    server = await scriptedServer([problem(503, 'store-unavailable', 'down'), accepted()]);
    const client = new ReseqClient({ baseUrl: server.url, apiKey: 'k-1', retry: fastRetry });

    await client.send('orders', { id: 1 }, { idempotencyKey: 'k', headers: { 'X-Correlation-Id': 'c-17', 'X-Tenant': 'acme' } });

    assert.equal(server.requests.length, 2);
    for (const request of server.requests) {
      assert.equal(request.headers['x-correlation-id'], 'c-17');
      assert.equal(request.headers['x-tenant'], 'acme');
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers['idempotency-key'], 'k');
      assert.equal(request.headers.authorization, 'Bearer k-1');
    }
  });

  test('sendMany passes each message’s headers with it', async () => {
    server = await scriptedServer([accepted()]);
    const client = new ReseqClient({ baseUrl: server.url });

    await client.sendMany('orders', [
      { body: 1, headers: { 'X-Correlation-Id': 'c-1' } },
      { body: 2 },
      { body: 3, headers: { 'X-Correlation-Id': 'c-3' } },
    ], { concurrency: 1 });

    assert.deepEqual(server.requests.map((r) => r.headers['x-correlation-id']), ['c-1', undefined, 'c-3']);
  });

  test('sendBatch passes one set of headers for the whole batch, and refuses a message with its own', async () => {
    server = await scriptedServer([{ status: 202, headers: { 'Content-Type': 'application/json' }, body: { receipts: [] } }]);
    const client = new ReseqClient({ baseUrl: server.url });

    await client.sendBatch('orders', [{ body: 1 }, { body: 2 }], { headers: { 'X-Tenant': 'acme' } });
    await assert.rejects(client.sendBatch('orders', [{ body: 1, headers: { 'X-Tenant': 'acme' } }]), { name: 'TypeError', message: /batch's headers option/ });

    assert.equal(server.requests.length, 1);
    assert.equal(server.requests[0].headers['x-tenant'], 'acme');
    assert.equal(server.requests[0].headers['content-type'], 'application/json');
  });

  test('refuses, before sending anything, a header the client sets or reseq reserves', async () => {
    server = await scriptedServer([accepted()]);
    const client = new ReseqClient({ baseUrl: server.url, retry: fastRetry });

    for (const name of ['Content-Type', 'idempotency-key', 'Authorization', 'Content-Length', 'Host', 'Reseq-Sequence', 'RESEQ-anything', 'Connection', 'Transfer-Encoding']) {
      await assert.rejects(client.send('orders', 'x', { headers: { [name]: 'v' } }), TypeError, name);
      await assert.rejects(client.sendBatch('orders', [{ body: 'x' }], { headers: { [name]: 'v' } }), TypeError, name);
      await assert.rejects(client.sendMany('orders', [{ body: 'x', headers: { [name]: 'v' } }]), TypeError, name);
    }
    await assert.rejects(client.send('orders', 'x', { headers: { 'Content-Type': 'text/plain' } }), /use the contentType option/);
    await assert.rejects(client.send('orders', 'x', { headers: { 'Idempotency-Key': 'k' } }), /use the idempotencyKey option/);
    await assert.rejects(client.send('orders', 'x', { headers: { 'Bad Name': 'v' } }), /not a valid header name/);
    await assert.rejects(client.send('orders', 'x', { headers: { 'X-Two-Lines': 'a\r\nb' } }), /one line/);
    await assert.rejects(client.send('orders', 'x', { headers: { 'X-Number': 7 } }), /string value/);

    await assert.rejects(client.sendMany('orders', [{ body: 'ok' }, { body: 'x', headers: { Host: 'h' } }], { concurrency: 1 }), TypeError);

    assert.equal(server.requests.length, 0, 'nothing was sent');
  });

  test('a kept header ingress refuses is a ReseqError 400 naming it, not retried', async () => {
    const refused = problem(400, 'invalid-request', 'Request has invalid fields');
    refused.body.errors = [{ field: 'headers.X-Correlation-Id', message: 'must be a single line of at most 1024 characters' }];
    server = await scriptedServer([refused, accepted()]);
    const client = new ReseqClient({ baseUrl: server.url, retry: fastRetry });

    const error = await client.send('orders', 'x', { headers: { 'X-Correlation-Id': 'c'.repeat(1025) } }).catch((e) => e);

    assert.ok(error instanceof ReseqError);
    assert.equal(error.status, 400);
    assert.deepEqual(error.problem.errors.map((e) => e.field), ['headers.X-Correlation-Id']);
    assert.equal(server.requests.length, 1, 'a 400 is not retried');
  });
});

describe('channels and transform types', () => {
  test('puts a channel with the headers it keeps and reads them back', async () => {
    const stored = { name: 'orders', destinations: ['billing'], keepHeaders: ['X-Correlation-Id', 'X-Tenant'] };
    server = await scriptedServer([
      { status: 201, headers: { 'Content-Type': 'application/json' }, body: stored },
      { status: 200, headers: { 'Content-Type': 'application/json' }, body: { name: 'audit', destinations: ['audit'], keepHeaders: [] } },
    ]);
    const client = new ReseqClient({ baseUrl: server.url });

    const channel = await client.putChannel('orders', { destinations: ['billing'], keepHeaders: ['X-Correlation-Id', 'X-Tenant'] });
    await client.putChannel('audit', { destinations: ['audit'] });

    assert.deepEqual(channel, stored);
    const [withHeaders, without] = server.requests;
    assert.equal(`${withHeaders.method} ${withHeaders.url}`, 'PUT /admin/v1/channels/orders');
    assert.deepEqual(JSON.parse(withHeaders.body), { destinations: ['billing'], keepHeaders: ['X-Correlation-Id', 'X-Tenant'] });
    assert.deepEqual(JSON.parse(without.body), { destinations: ['audit'] }, 'keepHeaders is optional');
  });

  test('lists the transform types', async () => {
    const types = [
      { name: 'delay', builtIn: true, liveWorkers: 2, lastPublishedAt: '2025-01-01T00:00:00Z' },
      { name: 'redact', builtIn: false, liveWorkers: 0, lastPublishedAt: '2025-01-01T00:00:00Z', configSchema: { type: 'object', required: ['pattern'] } },
    ];
    server = await scriptedServer([{ status: 200, headers: { 'Content-Type': 'application/json' }, body: types }]);

    assert.deepEqual(await new ReseqClient({ baseUrl: server.url, apiKey: 'ops' }).listTransformTypes(), types);
    assert.equal(`${server.requests[0].method} ${server.requests[0].url}`, 'GET /admin/v1/transform-types');
    assert.equal(server.requests[0].headers.authorization, 'Bearer ops');
  });
});
