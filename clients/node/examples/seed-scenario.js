// The scenario reseq is built for: each message needs 750 ms of work and one arrives every
// 250 ms (or 100 ms), so handled one at a time the queue would grow without bound. A sender posts
// timestamped messages to a channel whose destination runs an `http` transform: 750 ms of work
// served by `transformHandler` in this process, which reseq calls for several messages at once.
// A receiver in the same process prints them as they arrive, in order, with their latency from
// send to receipt, and a summary at the end.
//
//   node examples/seed-scenario.js [--every 250] [--count 120]
//
// Environment: RESEQ_URL (default http://127.0.0.1:8080), RESEQ_API_KEY (a key with INGEST,
// ADMIN and READ when the suite runs with security on).
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { orderedReceiver, ReseqClient, transformHandler } from 'reseq-client';

const { values } = parseArgs({ options: { every: { type: 'string', default: '250' }, count: { type: 'string', default: '120' } } });
const everyMs = Number(values.every);
const count = Number(values.count);
const client = new ReseqClient({ baseUrl: process.env.RESEQ_URL ?? 'http://127.0.0.1:8080', apiKey: process.env.RESEQ_API_KEY });
const name = `seed-every-${everyMs}ms`;

// The receiver: prints each message in order with how long it took from send to here.
const latencies = [];
let lastSequence = 0;
let outOfOrder = 0;
let allReceived;
const done = new Promise((resolve) => (allReceived = resolve));
const receiver = createServer(orderedReceiver(async (message) => {
  const { n, sentAt } = message.json();
  const latencyMs = Date.now() - sentAt;
  const inOrder = message.sequence > lastSequence ? '' : '  OUT OF ORDER';
  if (inOrder) outOfOrder++;
  lastSequence = message.sequence;
  latencies.push(latencyMs);
  console.log(`received #${String(n).padStart(3)}  sequence ${message.sequence}  latency ${latencyMs} ms${inOrder}`);
  if (latencies.length === count) allReceived();
}));
await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));

// The work: 750 ms per message, the payload passed on as it came (a Buffer keeps its content type).
let working = 0;
let mostAtOnce = 0;
const worker = createServer(transformHandler(async (message) => {
  mostAtOnce = Math.max(mostAtOnce, ++working);
  await new Promise((resolve) => setTimeout(resolve, 750));
  working--;
  return message.body;
}));
await new Promise((resolve) => worker.listen(0, '127.0.0.1', resolve));

// The route: a destination whose transform is that work, and a channel to it.
await client.putDestination(name, {
  type: 'HTTP',
  url: `http://127.0.0.1:${receiver.address().port}/in`,
  transforms: [{ type: 'http', url: `http://127.0.0.1:${worker.address().port}/transform` }],
});
await client.putChannel(name, { destinations: [name] });
console.log(`sending ${count} messages, one every ${everyMs} ms, each needing 750 ms of work`);

// The sender: one message every `everyMs`, on a fixed schedule, not waiting for the previous answer.
const start = Date.now();
const sends = [];
for (let n = 1; n <= count; n++) {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, start + (n - 1) * everyMs - Date.now())));
  sends.push(client.send(name, { n, sentAt: Date.now() }));
}
await Promise.all(sends);
await done;

const summary = (list) => `${list.join(', ')} ms (mean ${Math.round(list.reduce((a, b) => a + b, 0) / list.length)} ms)`;
const order = outOfOrder === 0 ? 'all in order' : `${outOfOrder} OUT OF ORDER`;
console.log(`\nevery ${everyMs} ms, ${count} messages, ${order}, in ${((Date.now() - start) / 1000).toFixed(1)} s`);
console.log(`first ten latencies: ${summary(latencies.slice(0, 10))}`);
console.log(`last ten latencies:  ${summary(latencies.slice(-10))}`);
const sorted = [...latencies].sort((a, b) => a - b);
console.log(`all ${latencies.length}: median ${sorted[Math.floor(sorted.length / 2)]} ms, max ${sorted.at(-1)} ms`);
console.log(`at most ${mostAtOnce} messages in the transform at once`);

// The receiver has handled the last message; egress records it as delivered once it has the answer.
await client.deleteChannel(name);
while ((await client.destinationStatus(name)).backlog > 0) {
  await new Promise((resolve) => setTimeout(resolve, 100));
}
await client.deleteDestination(name);
receiver.close();
worker.close();
