import assert from 'node:assert/strict';
import { createServer, request } from 'node:http';
import { afterEach, test } from 'node:test';
import { orderedReceiver } from 'reseq-client';

/** A sequence store that records its calls, as a Redis or PostgreSQL one would be used. */
class FakeStore {
  sequences = new Map();
  calls = [];
  failWrites = false;

  async lastProcessed(destination) {
    this.calls.push(`get ${destination}`);
    return this.sequences.get(destination) ?? 0;
  }

  async markProcessed(destination, sequence) {
    this.calls.push(`set ${destination} ${sequence}`);
    if (this.failWrites) throw new Error('store down');
    this.sequences.set(destination, sequence);
  }
}

let server;
afterEach(() => new Promise((resolve) => server.close(resolve)));

async function serve(listener) {
  server = createServer(listener);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}/in`;
}

/** Posts a delivery as egress does. */
function deliver(url, sequence, body = `m${sequence}`, extra = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Reseq-Destination': 'billing',
      'Reseq-Sequence': String(sequence),
      'Reseq-Message-Id': `id-${sequence}`,
      'Idempotency-Key': `billing:${sequence}`,
      'Reseq-Epoch': '3',
      ...extra,
    },
    body: JSON.stringify(body),
  });
}

test('hands each message over with its headers and answers 2xx only after the handler finished', async () => {
  const handled = [];
  let finish;
  let started;
  const handlerStarted = new Promise((resolve) => (started = resolve));
  const url = await serve(orderedReceiver(async (message) => {
    const finished = new Promise((resolve) => (finish = resolve));
    started();
    await finished;
    handled.push(message);
  }));

  let answered = false;
  const response = deliver(url, 1, { id: 42 }).then((r) => ((answered = true), r));
  await handlerStarted;
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(answered, false, 'no answer while the handler runs');
  finish();

  assert.equal((await response).status, 204);
  const [message] = handled;
  assert.equal(message.destination, 'billing');
  assert.equal(message.sequence, 1);
  assert.equal(message.messageId, 'id-1');
  assert.equal(message.idempotencyKey, 'billing:1');
  assert.equal(message.contentType, 'application/json');
  assert.equal(message.epoch, 3);
  assert.equal(message.redelivery, false);
  assert.ok(Buffer.isBuffer(message.body));
  assert.deepEqual(message.json(), { id: 42 });
});

test('drops a repeat with a 2xx without calling the handler', async () => {
  const store = new FakeStore();
  const handled = [];
  const url = await serve(orderedReceiver((m) => void handled.push(m.sequence), { store }));

  for (const sequence of [1, 2, 2, 1, 3]) {
    assert.equal((await deliver(url, sequence)).status, 204);
  }

  assert.deepEqual(handled, [1, 2, 3]);
  assert.deepEqual(store.calls, ['get billing', 'set billing 1', 'get billing', 'set billing 2', 'get billing', 'get billing', 'get billing', 'set billing 3']);
});

test('answers 5xx when the handler throws, and hands the same message over again on the retry', async () => {
  const store = new FakeStore();
  const attempts = [];
  const errors = [];
  const url = await serve(orderedReceiver(
    (m) => {
      attempts.push(m.sequence);
      if (attempts.length === 1) throw new Error('billing system unavailable');
    },
    { store, onError: (error, message) => errors.push([error.message, message.sequence]) },
  ));

  assert.equal((await deliver(url, 1)).status, 500);
  assert.equal(store.sequences.get('billing'), undefined, 'a failed message is not recorded as handled');
  assert.equal((await deliver(url, 1)).status, 204);

  assert.deepEqual(attempts, [1, 1]);
  assert.deepEqual(errors, [['billing system unavailable', 1]]);
});

test('answers 5xx when the store cannot record the sequence, so the message comes again', async () => {
  const store = new FakeStore();
  store.failWrites = true;
  const url = await serve(orderedReceiver(() => {}, { store, onError: () => {} }));
  assert.equal((await deliver(url, 1)).status, 500);
});

test('hands an operator redelivery over although its sequence was handled, without moving the cursor', async () => {
  const store = new FakeStore();
  const handled = [];
  const url = await serve(orderedReceiver((m) => void handled.push([m.sequence, m.redelivery]), { store }));

  await deliver(url, 5);
  await deliver(url, 2, 'm2', { 'Reseq-Redelivery': 'true' });

  assert.deepEqual(handled, [[5, false], [2, true]]);
  assert.equal(store.sequences.get('billing'), 5);
});

test('handles the messages of one destination one at a time', async () => {
  let running = 0;
  let most = 0;
  const url = await serve(orderedReceiver(async () => {
    most = Math.max(most, ++running);
    await new Promise((resolve) => setTimeout(resolve, 20));
    running--;
  }));

  const answers = await Promise.all([1, 2, 3, 4].map((sequence) => deliver(url, sequence)));

  assert.ok(answers.every((r) => r.status === 204));
  assert.equal(most, 1);
});

test('refuses a request that is not a reseq delivery', async () => {
  const url = await serve(orderedReceiver(() => assert.fail('not to be handled')));
  const response = await fetch(url, { method: 'POST', body: 'hello' });
  assert.equal(response.status, 400);
  assert.match(await response.text(), /reseq-destination/);
});

test('works as middleware behind a raw-body parser', async () => {
  const handled = [];
  const receiver = orderedReceiver((m) => void handled.push(m.text()));
  // What express.raw() does: reads the body into req.body, then calls the next handler.
  const url = await serve(async (req, res) => {
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    req.body = Buffer.concat(chunks);
    await receiver(req, res, (error) => assert.fail(`next called with ${error}`));
  });

  assert.equal((await deliver(url, 1, 'raw')).status, 204);
  assert.deepEqual(handled, ['"raw"']);
});

/** Posts a delivery with exactly these headers, as egress's HTTP client does (fetch would add its own). */
function post(url, headers, body = '{}') {
  return new Promise((resolve, reject) => {
    const sent = request(url, { method: 'POST', headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    sent.on('error', reject);
    sent.end(body);
  });
}

const egressHeaders = {
  'Content-Type': 'application/json',
  'Reseq-Destination': 'billing',
  'Reseq-Sequence': '1',
  'Reseq-Message-Id': 'id-1',
  'Idempotency-Key': 'billing:1',
  'Reseq-Epoch': '3',
  Connection: 'keep-alive',
  'User-Agent': 'Apache-HttpClient/5.5',
  'Accept-Encoding': 'gzip, x-gzip, deflate',
};

test('exposes the delivery’s further headers, lower-cased, without HTTP’s and reseq’s own', async () => {
  const handled = [];
  const url = await serve(orderedReceiver((m) => void handled.push(m.headers)));

  const status = await post(url, {
    ...egressHeaders,
    'Reseq-Redelivery': 'false',
    'X-Api-Key': 'configured on the destination',
    'X-Correlation-Id': 'c-17',
    'X-Tenant': ['acme', 'eu'],
  });

  assert.equal(status, 204);
  assert.deepEqual(handled, [{ 'x-api-key': 'configured on the destination', 'x-correlation-id': 'c-17', 'x-tenant': 'acme, eu' }]);
});

test('hands over an empty headers object when the delivery carries none beyond its own', async () => {
  const handled = [];
  const url = await serve(orderedReceiver((m) => void handled.push(m.headers)));

  assert.equal(await post(url, egressHeaders), 204);
  assert.deepEqual(handled, [{}]);
});

/** Posts a batch as egress does for a destination with batched delivery. */
function deliverBatch(url, items) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'Reseq-Destination': 'billing',
      'Reseq-First-Sequence': String(items[0].sequence),
      'Reseq-Last-Sequence': String(items.at(-1).sequence),
      'Reseq-Batch-Size': String(items.length),
      'Reseq-Epoch': '4',
    },
    body: JSON.stringify(items.map((item) => ({
      messageId: `id-${item.sequence}`, idempotencyKey: `billing:${item.sequence}`, ...item,
    }))),
  });
}

test('a batch is handed over message by message in order, JSON and base64 bodies alike', async () => {
  const handled = [];
  const url = await serve(orderedReceiver((message) => { handled.push(message); }));

  const response = await deliverBatch(url, [
    { sequence: 1, contentType: 'application/json', body: { id: 1 }, headers: { 'X-Correlation-Id': 'c-1' } },
    { sequence: 2, contentType: 'application/octet-stream', bodyBase64: Buffer.from([0, 255]).toString('base64') },
  ]);

  assert.equal(response.status, 204);
  assert.deepEqual(handled.map((m) => m.sequence), [1, 2]);
  assert.deepEqual(handled[0].json(), { id: 1 });
  assert.equal(handled[0].idempotencyKey, 'billing:1');
  assert.equal(handled[0].headers['x-correlation-id'], 'c-1');
  assert.equal(handled[0].epoch, 4);
  assert.deepEqual([...handled[1].body], [0, 255]);
});

test('a batch whose handler fails midway is answered 500 and, sent again, skips what was handled', async () => {
  const handled = [];
  let failOnce = true;
  const url = await serve(orderedReceiver((message) => {
    if (message.sequence === 2 && failOnce) {
      failOnce = false;
      throw new Error('not now');
    }
    handled.push(message.sequence);
  }, { onError: () => {} }));
  const batch = [1, 2, 3].map((sequence) => ({ sequence, contentType: 'application/json', body: sequence }));

  assert.equal((await deliverBatch(url, batch)).status, 500);
  assert.equal((await deliverBatch(url, batch)).status, 204);

  assert.deepEqual(handled, [1, 2, 3]);
});

test('a batch that is not a JSON array of sequenced items is refused with 400', async () => {
  const url = await serve(orderedReceiver(() => {}));

  const notArray = await fetch(url, {
    method: 'POST',
    headers: { 'Reseq-Destination': 'billing', 'Reseq-First-Sequence': '1', 'Content-Type': 'application/json' },
    body: '{"sequence": 1}',
  });
  const noSequence = await deliverBatch(url, [{ sequence: 0, body: 1 }]);

  assert.equal(notArray.status, 400);
  assert.equal(noSequence.status, 400);
});
