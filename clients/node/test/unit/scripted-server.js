import { createServer } from 'node:http';

/**
 * A local HTTP test double that answers each request with the next scripted answer and records
 * what it received. An answer is `{ status, headers, body }`, or `'drop'` to close the connection
 * without answering (a network error for the client).
 */
export async function scriptedServer(answers) {
  const requests = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer(async (req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const chunks = [];
    for await (const chunk of req) chunks.push(chunk);
    requests.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString() });
    const next = answers.length > 1 ? answers.shift() : answers[0];
    const answer = typeof next === 'function' ? await next(requests.at(-1)) : next;
    inFlight--;
    if (answer === 'drop') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requests,
    maxInFlight: () => maxInFlight,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

/** A `202` as ingress answers a committed message. */
export function accepted(messageId = 'm-1', sequence = 1, headers = {}) {
  return {
    status: 202,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: { messageId, channel: 'orders', deliveries: [{ destination: 'billing', sequence }] },
  };
}

/** A problem+json answer. */
export function problem(status, slug, detail, headers = {}) {
  return {
    status,
    headers: { 'Content-Type': 'application/problem+json', ...headers },
    body: { type: `https://reseq.dev/problems/${slug}`, title: slug, status, detail },
  };
}
