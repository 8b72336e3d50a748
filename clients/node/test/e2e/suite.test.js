import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { orderedReceiver, ReseqClient, ReseqError } from 'reseq-client';
import { admin, eventually, listen, named, removeRoutes, route, sender, suite, unavailableAtFirst } from './support.js';

const servers = [];
after(async () => {
  await removeRoutes();
  await Promise.all(servers.map((server) => server.close()));
});

/** An ordered receiver on a free port whose handler records each message; `wrap` may stand in front of it. */
async function receiver(handle = () => {}, wrap = (receive) => receive) {
  const handled = [];
  const server = await listen(wrap(orderedReceiver(async (message) => {
    await handle(message);
    handled.push({ sequence: message.sequence, body: message.json(), messageId: message.messageId });
  }, { onError: () => {} })));
  servers.push(server);
  return { url: server.url, handled };
}

test('messages sent concurrently arrive one by one in the order of their sequences', async () => {
  const { url, handled } = await receiver();
  // Random transform times make results finish out of order; reseq must still deliver in order.
  const channel = await route(named('ordered'), url, [{ type: 'delay', minMs: 0, maxMs: 300 }]);

  const receipts = await sender.sendMany(channel, Array.from({ length: 40 }, (_, i) => ({ body: { i } })), { concurrency: 8 });

  await eventually(() => handled.length === 40, '40 messages at the receiver');
  const sentBySequence = receipts
    .map((receipt, i) => ({ sequence: receipt.deliveries[0].sequence, body: { i }, messageId: receipt.messageId }))
    .sort((a, b) => a.sequence - b.sequence);
  assert.deepEqual(handled, sentBySequence);
  assert.deepEqual(handled.map((m) => m.sequence), Array.from({ length: 40 }, (_, i) => i + 1));
  // Egress moves the delivered cursor once it has the receiver's answer, just after the handler ran.
  await eventually(async () => (await admin.destinationStatus(channel)).deliveredSequence === 40, 'the delivered cursor at 40');
  assert.equal((await admin.destinationStatus(channel)).backlog, 0);
});

test('a batch is stored whole with consecutive sequences and delivered in its order, a jsonata mapping applied', async () => {
  const { url, handled } = await receiver();
  const channel = await route(named('batch'), url, [{ type: 'jsonata', expression: '{ "n": i, "seq": $sequence }' }]);
  await sender.send(channel, { i: 0 });

  const receipts = await sender.sendBatch(channel, Array.from({ length: 10 }, (_, k) => ({ body: { i: k + 1 }, idempotencyKey: `b-${k + 1}` })));
  const again = await sender.sendBatch(channel, [{ body: { i: 10 }, idempotencyKey: 'b-10' }]);

  assert.deepEqual(receipts.map((r) => r.deliveries[0].sequence), Array.from({ length: 10 }, (_, k) => k + 2));
  assert.equal(again[0].messageId, receipts[9].messageId, 'a repeated key is answered with its message');
  await eventually(() => handled.length === 11, '11 messages at the receiver');
  assert.deepEqual(handled.map((m) => m.body), Array.from({ length: 11 }, (_, k) => ({ n: k, seq: k + 1 })));
});

test('sending again under the same idempotency key stores one message and answers with it', async () => {
  const { url, handled } = await receiver();
  const channel = await route(named('idempotent'), url);

  const first = await sender.send(channel, { order: 17 }, { idempotencyKey: 'order-17' });
  const again = await sender.send(channel, { order: 17 }, { idempotencyKey: 'order-17' });
  await sender.send(channel, { order: 18 });

  assert.equal(again.messageId, first.messageId);
  assert.deepEqual([first.replayed, again.replayed], [false, true]);
  await eventually(() => handled.length === 2, 'both messages at the receiver');
  assert.deepEqual(handled.map((m) => m.body), [{ order: 17 }, { order: 18 }]);
});

test('a send that meets 503 is retried under its idempotency key until ingress commits it', async () => {
  const { url, handled } = await receiver();
  const channel = await route(named('unavailable'), url);
  const proxy = await unavailableAtFirst(2);
  servers.push(proxy);
  const behindProxy = new ReseqClient({ baseUrl: proxy.url, apiKey: suite.senderKey, retry: { initialDelayMs: 50 } });

  const receipt = await behindProxy.send(channel, { order: 1 });

  assert.equal(receipt.deliveries[0].sequence, 1);
  assert.equal(proxy.seen.length, 3);
  assert.equal(new Set(proxy.seen.map((request) => request.idempotencyKey)).size, 1);
  await eventually(() => handled.length === 1, 'the message at the receiver');
  assert.equal(handled[0].messageId, receipt.messageId);
});

test('the receiver drops a message reseq delivers again after losing the answer', async () => {
  const arrivals = [];
  // Sequence 2 is handled, but its answer is lost the first time: egress sees a broken connection and delivers it again.
  const loseFirstAnswerTo2 = (receive) => (req, res) => {
    const sequence = Number(req.headers['reseq-sequence']);
    arrivals.push(sequence);
    if (sequence === 2 && arrivals.filter((s) => s === 2).length === 1) {
      res.writeHead = () => res;
      res.end = () => req.socket.destroy();
    }
    return receive(req, res);
  };
  const { url, handled } = await receiver(() => {}, loseFirstAnswerTo2);
  const channel = await route(named('lost-answer'), url);

  await sender.sendMany(channel, [1, 2, 3].map((n) => ({ body: { n } })), { concurrency: 1 });

  await eventually(() => handled.length === 3, 'three messages at the receiver');
  assert.deepEqual(arrivals.slice(0, 3), [1, 2, 2], 'reseq delivered sequence 2 twice');
  assert.deepEqual(handled.map((m) => m.sequence), [1, 2, 3], 'the handler saw it once');
});

test('a handler that fails gets the same message again, and nothing after it meanwhile', async () => {
  let failures = 0;
  const { url, handled } = await receiver((message) => {
    if (message.sequence === 2 && failures++ < 2) {
      throw new Error('downstream unavailable');
    }
  });
  const channel = await route(named('handler-fails'), url);

  await sender.sendMany(channel, [1, 2, 3].map((n) => ({ body: { n } })), { concurrency: 1 });

  await eventually(() => handled.length === 3, 'three messages at the receiver');
  assert.equal(failures, 3, 'the handler saw sequence 2 three times');
  assert.deepEqual(handled.map((m) => m.body), [{ n: 1 }, { n: 2 }, { n: 3 }]);
});

test('an unknown channel is a ReseqError 404 with the problem', async () => {
  const error = await sender.send(named('missing'), { order: 1 }).catch((e) => e);

  assert.ok(error instanceof ReseqError, `expected a ReseqError, got ${error}`);
  assert.equal(error.status, 404);
  assert.equal(error.code, 'not-found');
  assert.match(error.problem.detail, /missing/);
  await assert.rejects(admin.getChannel(named('missing')), { name: 'ReseqError', status: 404 });
});

test('the API key is what lets a client in: none is 401, one without the role 403', { skip: !suite.adminKey && 'the suite runs without security' }, async () => {
  const anonymous = new ReseqClient({ baseUrl: suite.url });

  await assert.rejects(anonymous.listChannels(), { name: 'ReseqError', status: 401, code: 'unauthorized' });
  await assert.rejects(sender.putChannel(named('not-allowed'), { destinations: [] }), { status: 403, code: 'forbidden' });
  assert.ok(Array.isArray(await admin.listChannels()));
});
