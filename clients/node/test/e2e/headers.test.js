import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { orderedReceiver, ReseqError } from 'reseq-client';
import { admin, eventually, listen, named, removeRoutes, route, sender } from './support.js';

const servers = [];
after(async () => {
  await removeRoutes();
  await Promise.all(servers.map((server) => server.close()));
});

/** An ordered receiver recording each message's sequence, JSON body and further headers. */
async function receiver() {
  const handled = [];
  const server = await listen(orderedReceiver((message) => {
    handled.push({ sequence: message.sequence, body: message.json(), headers: message.headers });
  }));
  servers.push(server);
  return { url: server.url, handled };
}

test('the headers a channel keeps travel with each message to the receiver, in order; the others stay behind', async () => {
  const { url, handled } = await receiver();
  const channel = await route(named('headers'), url, [], { headers: { 'X-Configured': 'by-the-destination' } }, { keepHeaders: ['X-Correlation-Id'] });
  assert.deepEqual((await admin.getChannel(channel)).keepHeaders, ['X-Correlation-Id']);

  await sender.sendMany(channel, Array.from({ length: 10 }, (_, i) => ({
    body: { i },
    headers: { 'X-Correlation-Id': `corr-${i}`, 'X-Other': `other-${i}` },
  })), { concurrency: 1 });
  await sender.sendBatch(channel, [{ body: { i: 10 } }, { body: { i: 11 } }], { headers: { 'x-correlation-id': 'batch', 'X-Other': 'other' } });

  await eventually(() => handled.length === 12, '12 messages at the receiver');
  assert.deepEqual(handled.map((m) => m.sequence), Array.from({ length: 12 }, (_, k) => k + 1));
  assert.deepEqual(handled.map((m) => m.body), Array.from({ length: 12 }, (_, i) => ({ i })));
  assert.deepEqual(handled.map((m) => m.headers['x-correlation-id']),
    [...Array.from({ length: 10 }, (_, i) => `corr-${i}`), 'batch', 'batch']);
  for (const message of handled) {
    assert.equal(message.headers['x-other'], undefined, `message ${message.sequence} came without X-Other`);
    assert.equal(message.headers['x-configured'], 'by-the-destination');
    assert.ok(Object.keys(message.headers).every((name) => !name.startsWith('reseq-')));
  }
});

test('a channel cannot keep a header the delivery owns, and a kept value over 1,024 characters is refused', async () => {
  const { url } = await receiver();
  const channel = await route(named('headers-refused'), url, [], {}, { keepHeaders: ['X-Correlation-Id'] });

  const refusedName = await admin.putChannel(named('headers-bad'), { destinations: [channel], keepHeaders: ['Reseq-Sequence'] }).catch((e) => e);
  assert.ok(refusedName instanceof ReseqError, `expected a ReseqError, got ${refusedName}`);
  assert.equal(refusedName.status, 400);
  assert.deepEqual(refusedName.problem.errors.map((e) => e.field), ['keepHeaders[0]']);

  const refusedValue = await sender.send(channel, { i: 0 }, { headers: { 'X-Correlation-Id': 'c'.repeat(1025) } }).catch((e) => e);
  assert.ok(refusedValue instanceof ReseqError, `expected a ReseqError, got ${refusedValue}`);
  assert.equal(refusedValue.status, 400);
  assert.deepEqual(refusedValue.problem.errors.map((e) => e.field), ['headers.X-Correlation-Id']);
  assert.equal((await admin.destinationStatus(channel)).lastSequence, 0, 'nothing was stored');
});

test('the transform types include the built-in ones', async () => {
  const types = await admin.listTransformTypes();
  const byName = new Map(types.map((type) => [type.name, type]));
  for (const name of ['content-type', 'delay', 'headers', 'http', 'jsonata']) {
    assert.equal(byName.get(name)?.builtIn, true, `${name} is built in`);
    assert.equal(typeof byName.get(name).liveWorkers, 'number');
  }
});
