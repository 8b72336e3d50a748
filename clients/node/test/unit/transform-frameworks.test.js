import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { transformHandler } from 'reseq-client';
import { closeServers, serve, transform } from './transform-server.js';

afterEach(closeServers);

const upper = transformHandler((message) => ({ body: message.text().toUpperCase(), contentType: message.contentType, headers: message.headers }), { onError: () => {} });

async function bodyOf(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('Express: (req, res) after a body parser', () => {
  test('takes the Buffer express.raw() left in req.body', async () => {
    // What express.raw() does: reads the stream, leaves the bytes in req.body.
    const url = await serve(async (req, res) => {
      req.body = await bodyOf(req);
      await upper(req, res);
    });

    const response = await transform(url, { body: '{"name":"ada"}', headers: { 'X-Tenant': 'acme', 'Reseq-Headers': 'X-Tenant' } });

    assert.equal(response.status, 200);
    assert.equal(await response.text(), '{"NAME":"ADA"}');
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.equal(response.headers.get('x-tenant'), 'acme');
  });

  test('a body express.json() already parsed is 500 saying to use express.raw()', async () => {
    const url = await serve(async (req, res) => {
      req.body = JSON.parse(await bodyOf(req));
      await upper(req, res);
    });

    const response = await transform(url);

    assert.equal(response.status, 500);
    assert.match((await response.json()).detail, /already parsed.*express\.raw\(\)/);
  });
});

describe('Fastify: (request, reply), recognised by their raw members', () => {
  /** A Fastify route's arguments: the raw request and response, the body its buffer parser read, and hijack(). */
  function fastifyRoute(handler, parse = (bytes) => bytes) {
    const hijacked = [];
    const listener = async (req, res) => {
      const body = parse(await bodyOf(req));
      const request = { raw: req, body, headers: req.headers, method: req.method };
      const reply = { raw: res, hijack: () => hijacked.push(req.headers['reseq-sequence']) };
      await handler(request, reply);
    };
    return { listener, hijacked };
  }

  test('answers on reply.raw after hijack(), with the body Fastify read', async () => {
    const { listener, hijacked } = fastifyRoute(upper);
    const url = await serve(listener);

    const response = await transform(url, { body: 'abc', contentType: 'text/plain', sequence: '3' });

    assert.equal(response.status, 200);
    assert.equal(await response.text(), 'ABC');
    assert.deepEqual(hijacked, ['3'], 'Fastify is told not to answer itself');
  });

  test('the raw pair passed on by hand works as well', async () => {
    const url = await serve(async (req, res) => {
      const request = { raw: req, headers: req.headers };
      await upper(request.raw, { raw: res }.raw);
    });

    assert.equal(await (await transform(url, { body: 'abc' })).text(), 'ABC');
  });

  test('a body over maxBodyBytes that Fastify read is 413', async () => {
    const { listener } = fastifyRoute(transformHandler(() => assert.fail('not called'), { maxBodyBytes: 2 }));
    const url = await serve(listener);

    const response = await transform(url, { body: 'abc' });

    assert.equal(response.status, 413);
  });

  test('a body Fastify parsed as JSON is 500 saying to read it as a buffer', async () => {
    const { listener } = fastifyRoute(upper, (bytes) => JSON.parse(bytes));
    const url = await serve(listener);

    const response = await transform(url);

    assert.equal(response.status, 500);
    assert.match((await response.json()).detail, /already parsed/);
  });
});
