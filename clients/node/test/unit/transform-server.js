import { createServer } from 'node:http';

const servers = [];

/** Serves `listener` on a free loopback port; resolves to the transform's URL. */
export async function serve(listener) {
  const server = createServer(listener);
  servers.push(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}/transform`;
}

/** Closes what {@link serve} started; for `afterEach`. */
export function closeServers() {
  return Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
}

/** Posts a message as reseq's http transform does. */
export function transform(url, { body = '{"id":7}', contentType = 'application/json', sequence = '12', headers = {} } = {}) {
  return fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': contentType,
      'Reseq-Destination': 'erp',
      'Reseq-Sequence': sequence,
      'Reseq-Message-Id': '0b5ee2a4-3f1c-4a57-9d3e-8f0a3c1d2e4f',
      ...headers,
    },
    body,
  });
}
