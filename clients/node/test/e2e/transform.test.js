import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { orderedReceiver, PermanentTransformError, transformHandler } from 'reseq-client';
import { admin, eventually, listen, named, removeRoutes, route, sender } from './support.js';

const servers = [];
after(async () => {
  await removeRoutes();
  await Promise.all(servers.map((server) => server.close()));
});

/** A transformHandler server on a free loopback port; resolves to the URL a destination's http transform posts to. */
async function transformServer(fn) {
  const server = await listen(transformHandler(fn, { onError: () => {} }));
  servers.push(server);
  return `http://127.0.0.1:${server.port}/transform`;
}

/** An ordered receiver recording each message's sequence, content type and JSON body. */
async function receiver() {
  const handled = [];
  const server = await listen(orderedReceiver((message) => {
    handled.push({ sequence: message.sequence, contentType: message.contentType, body: message.json() });
  }));
  servers.push(server);
  return { url: server.url, handled };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

test('an http transform served by transformHandler reshapes each message, and reseq delivers the results in order', async () => {
  const seen = [];
  const transformUrl = await transformServer(async (message) => {
    const { name, i } = message.json();
    seen.push(message.sequence);
    // Uneven work, so that attempts finish out of order; delivery must not.
    await sleep(Math.random() * 60);
    return {
      body: { NAME: name.toUpperCase(), index: i, seq: message.sequence, destination: message.destination },
      contentType: 'application/vnd.shout+json',
    };
  });
  const { url, handled } = await receiver();
  const channel = await route(named('transform'), url, [{ type: 'http', url: transformUrl }]);

  const receipts = await sender.sendMany(channel, Array.from({ length: 20 }, (_, i) => ({ body: { name: `order ${i}`, i } })), { concurrency: 5 });

  await eventually(() => handled.length === 20, '20 transformed messages at the receiver');
  const expected = receipts
    .map((receipt, i) => ({
      sequence: receipt.deliveries[0].sequence,
      contentType: 'application/vnd.shout+json',
      body: { NAME: `ORDER ${i}`, index: i, seq: receipt.deliveries[0].sequence, destination: channel },
    }))
    .sort((a, b) => a.sequence - b.sequence);
  assert.deepEqual(handled, expected);
  assert.deepEqual(handled.map((m) => m.sequence), Array.from({ length: 20 }, (_, k) => k + 1));
  assert.ok(seen.length >= 20);
});

test('a PermanentTransformError fails the message at once: dead-lettered after one attempt, the others delivered', async () => {
  let attemptsAt2 = 0;
  const transformUrl = await transformServer((message) => {
    const { n } = message.json();
    if (n === 2) {
      attemptsAt2++;
      throw new PermanentTransformError('order 2 has no customer');
    }
    return { n, ok: true };
  });
  const { url, handled } = await receiver();
  const name = await route(named('transform-rejects'), url, [{ type: 'http', url: transformUrl }], { onFailure: 'DEAD_LETTER' });

  await sender.sendMany(name, [1, 2, 3].map((n) => ({ body: { n } })), { concurrency: 1 });

  await eventually(() => handled.length === 2, 'messages 1 and 3 at the receiver');
  assert.deepEqual(handled.map((m) => m.body), [{ n: 1, ok: true }, { n: 3, ok: true }]);
  assert.equal(attemptsAt2, 1, 'a 422 is not retried');
  const [dead] = await admin.deadLetters(name);
  assert.deepEqual([dead.sequence, dead.stage, dead.attempts], [2, 'TRANSFORM', 1]);
});
