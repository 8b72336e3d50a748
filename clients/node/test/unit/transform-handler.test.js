import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { PermanentTransformError, RetryTransformError, transformHandler } from 'reseq-client';
import { closeServers, serve, transform } from './transform-server.js';

afterEach(closeServers);

const quiet = { onError: () => {} };

describe('a message and its answer', () => {
  test('hands over the payload, metadata and travelling headers; answers the reply with Reseq-Headers naming its headers', async () => {
    let seen;
    const url = await serve(transformHandler(async (message) => {
      seen = message;
      const order = message.json();
      return {
        body: { orderId: order.id, tenant: message.header('x-tenant') },
        contentType: 'application/vnd.erp.order+json',
        headers: { 'X-Correlation-Id': message.headers['X-Correlation-Id'], 'X-Erp-Batch': `b-${message.sequence}` },
      };
    }));

    const response = await transform(url, {
      headers: { 'X-Correlation-Id': 'c-1', 'X-Tenant': 'acme', 'X-Not-Travelling': 'no', 'Reseq-Headers': 'X-Correlation-Id, X-Tenant' },
    });

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/vnd.erp.order+json');
    assert.deepEqual(await response.json(), { orderId: 7, tenant: 'acme' });
    assert.equal(response.headers.get('reseq-headers'), 'X-Correlation-Id,X-Erp-Batch');
    assert.equal(response.headers.get('x-correlation-id'), 'c-1');
    assert.equal(response.headers.get('x-erp-batch'), 'b-12');
    assert.equal(seen.destination, 'erp');
    assert.equal(seen.sequence, 12);
    assert.equal(seen.messageId, '0b5ee2a4-3f1c-4a57-9d3e-8f0a3c1d2e4f');
    assert.equal(seen.contentType, 'application/json');
    assert.deepEqual(seen.headers, { 'X-Correlation-Id': 'c-1', 'X-Tenant': 'acme' }, 'only the headers Reseq-Headers names');
    assert.equal(seen.text(), '{"id":7}');
  });

  test('returning the headers as they came keeps them; a listed name without its header is left out', async () => {
    const url = await serve(transformHandler((message) => ({ body: message.body, headers: message.headers })));

    const response = await transform(url, { headers: { 'X-Tenant': 'acme', 'Reseq-Headers': 'X-Tenant,X-Gone,,x-tenant' } });

    assert.equal(response.headers.get('reseq-headers'), 'X-Tenant');
    assert.equal(response.headers.get('x-tenant'), 'acme');
  });

  test('without Reseq-Headers the message has no headers, and an answer without headers leaves them as they were', async () => {
    let seen;
    const url = await serve(transformHandler((message) => {
      seen = message;
      return message.body;
    }));

    const response = await transform(url, { headers: { 'X-Tenant': 'acme' } });

    assert.deepEqual(seen.headers, {});
    assert.equal(response.headers.get('reseq-headers'), null, 'no Reseq-Headers: reseq keeps the headers it had');
  });

  test('an empty headers object clears them: Reseq-Headers is present and empty', async () => {
    const url = await serve(transformHandler(() => ({ body: 'x', headers: {} })));

    const response = await transform(url, { headers: { 'X-Tenant': 'acme', 'Reseq-Headers': 'X-Tenant' } });

    assert.equal(response.headers.get('reseq-headers'), '');
  });

  for (const [what, result, contentType, body] of [
    ['a string is text', 'HELLO', 'text/plain; charset=utf-8', 'HELLO'],
    ['an object is JSON', { a: [1, 'b'] }, 'application/json', '{"a":[1,"b"]}'],
    ['an array is JSON', [1, 2], 'application/json', '[1,2]'],
    ['null is JSON null', null, 'application/json', 'null'],
    ['a Buffer keeps the incoming content type', Buffer.from('raw'), 'application/xml', 'raw'],
    ['a Uint8Array keeps the incoming content type', new Uint8Array([0x6f, 0x6b]), 'application/xml', 'ok'],
    ['a reply sets the content type of bytes', { body: Buffer.from('a,b'), contentType: 'text/csv' }, 'text/csv', 'a,b'],
    ['a reply of a string is text', { body: 'é' }, 'text/plain; charset=utf-8', 'é'],
    ['an object with more than reply keys is a payload', { body: 'b', id: 1 }, 'application/json', '{"body":"b","id":1}'],
  ]) {
    test(`defaults: ${what}`, async () => {
      const url = await serve(transformHandler(async () => result));

      const response = await transform(url, { body: '<in/>', contentType: 'application/xml' });

      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), contentType);
      assert.equal(await response.text(), body);
    });
  }

  test('a request without Content-Type is application/octet-stream', async () => {
    let seen;
    const url = await serve(transformHandler((message) => {
      seen = message;
      return message.body;
    }));

    const response = await transform(url, { body: new Uint8Array([1, 2, 3]), contentType: '' });

    assert.equal(seen.contentType, 'application/octet-stream');
    assert.equal(response.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual(new Uint8Array(await response.arrayBuffer()), new Uint8Array([1, 2, 3]));
  });
});

describe('failures', () => {
  async function problemOf(response) {
    assert.equal(response.headers.get('content-type'), 'application/problem+json');
    return response.json();
  }

  test('a PermanentTransformError is 422 with the problem, which reseq does not retry', async () => {
    const url = await serve(transformHandler(() => {
      throw new PermanentTransformError('no customer on order 7');
    }));

    const response = await transform(url);

    assert.equal(response.status, 422);
    assert.deepEqual(await problemOf(response), {
      type: 'https://reseq.dev/problems/transform-rejected',
      title: 'The transform rejected the message',
      status: 422,
      detail: 'no customer on order 7',
    });
  });

  test('json() of a payload that is not JSON fails for good: 422', async () => {
    const url = await serve(transformHandler((message) => message.json()));

    const response = await transform(url, { body: 'not json' });

    assert.equal(response.status, 422);
    assert.match((await problemOf(response)).detail, /^the payload is not JSON: /);
  });

  test('a RetryTransformError is 503 with Retry-After in whole seconds, rounded up', async () => {
    const url = await serve(transformHandler(() => {
      throw new RetryTransformError('the ERP is in maintenance', { retryAfterSeconds: 1.2 });
    }));

    const response = await transform(url);

    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '2');
    assert.equal((await problemOf(response)).detail, 'the ERP is in maintenance');
  });

  test('a RetryTransformError without a wait is 503 without Retry-After', async () => {
    const url = await serve(transformHandler(() => Promise.reject(new RetryTransformError('busy'))));

    const response = await transform(url);

    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), null);
  });

  test('any other error is 500 with its message and never its stack; onError is told', async () => {
    const told = [];
    const url = await serve(transformHandler(async () => {
      throw new TypeError('Cannot read properties of undefined');
    }, { onError: (error, message) => told.push([error.message, message.sequence]) }));

    const response = await transform(url);

    assert.equal(response.status, 500);
    const problem = await problemOf(response);
    assert.deepEqual(problem, {
      type: 'https://reseq.dev/problems/transform-failed',
      title: 'The transform failed',
      status: 500,
      detail: 'Cannot read properties of undefined',
    });
    assert.doesNotMatch(JSON.stringify(problem), /\bat |\.js:/);
    assert.deepEqual(told, [['Cannot read properties of undefined', 12]]);
  });

  test('an onError that throws still leaves the 500 answered', async () => {
    const url = await serve(transformHandler(() => {
      throw new Error('boom');
    }, { onError: () => {
      throw new Error('logger down');
    } }));

    const response = await transform(url);

    assert.equal(response.status, 500);
    assert.equal((await response.json()).detail, 'boom');
  });

  for (const [what, reply, detail] of [
    ['a value with CR LF', { body: 'x', headers: { 'X-A': 'a\r\nSet-Cookie: s=1' } }, /header X-A has a character/],
    ['a name that is not a token', { body: 'x', headers: { 'X A': 'a' } }, /header name "X A" is not an HTTP token/],
    ['a reserved name', { body: 'x', headers: { 'Content-Length': '1' } }, /Content-Length is reserved/],
    ['a reseq name', { body: 'x', headers: { 'Reseq-Sequence': '1' } }, /Reseq-Sequence is reserved/],
    ['a name twice', { body: 'x', headers: { 'X-A': '1', 'x-a': '2' } }, /names the header x-a twice/],
    ['a value that is not a string', { body: 'x', headers: { 'X-A': 1 } }, /header X-A must be a string, not number/],
    ['outer whitespace', { body: 'x', headers: { 'X-A': ' a' } }, /whitespace/],
    ['a content type that is not a media type', { body: 'x', contentType: 'text\r\nX-A: 1' }, /contentType .* is not a media type/],
    ['nothing', undefined, /resolved to undefined/],
    ['a body without JSON form', { body: () => 1 }, /has no JSON form/],
  ]) {
    test(`a reply with ${what} is 500 with a clear detail, and the server carries on`, async () => {
      const url = await serve(transformHandler(() => reply, quiet));

      const response = await transform(url);

      assert.equal(response.status, 500);
      assert.match((await problemOf(response)).detail, /^the transform's reply cannot be sent: /);
      assert.match((await (await transform(url)).json()).detail, detail);
    });
  }
});

describe('requests that are not reseq’s', () => {
  test('anything but POST is 405 with Allow: POST', async () => {
    const url = await serve(transformHandler(() => assert.fail('not called')));

    const response = await fetch(url);

    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
    assert.equal((await response.json()).status, 405);
  });

  for (const [what, headers, detail] of [
    ['no Reseq-Sequence', { 'Reseq-Sequence': '' }, /reseq-sequence header is missing/],
    ['a Reseq-Sequence that is not a number', { 'Reseq-Sequence': '1e3' }, /positive decimal integer, not '1e3'/],
    ['a Reseq-Sequence of 0', { 'Reseq-Sequence': '0' }, /positive decimal integer/],
    ['no Reseq-Destination', { 'Reseq-Destination': '' }, /reseq-destination header is missing/],
    ['no Reseq-Message-Id', { 'Reseq-Message-Id': '' }, /reseq-message-id header is missing/],
  ]) {
    test(`${what} is 400`, async () => {
      const url = await serve(transformHandler(() => assert.fail('not called')));

      const { 'Reseq-Sequence': sequence = '12', ...others } = headers;
      const response = await transform(url, { sequence, headers: others });

      assert.equal(response.status, 400);
      assert.match((await response.json()).detail, detail);
    });
  }

  test('a body over maxBodyBytes is 413, and the function is not called; one at the limit is taken', async () => {
    const url = await serve(transformHandler((message) => String(message.body.length), { maxBodyBytes: 1024 }));

    const over = await transform(url, { body: 'x'.repeat(1025) });
    const atLimit = await transform(url, { body: 'x'.repeat(1024) });

    assert.equal(over.status, 413);
    assert.match((await over.json()).detail, /over 1024 bytes/);
    assert.equal(await atLimit.text(), '1024');
  });
});
