// What a caller sends: the payload types, the per-message options, and how they become a request.
/**
 * A payload: bytes go as they are (`application/octet-stream` unless told otherwise), a string as
 * UTF-8 text (`text/plain; charset=utf-8`), anything else as JSON (`application/json`).
 */
export type Payload = Uint8Array | string | object | number | boolean | null;

/** Options of one {@link ReseqClient.send}. */
export interface SendOptions {
  /** The `Content-Type` delivered with the message; by default derived from the payload. */
  contentType?: string;
  /**
   * One message per key and channel while ingress keeps the key (24 h by default). Generated when
   * absent, so that the retries of this call can never store the message twice.
   */
  idempotencyKey?: string;
  /**
   * Further request headers, such as `{ 'X-Correlation-Id': 'c-17' }`. Those the channel keeps
   * (its `keepHeaders`) are stored with the message and travel with it to its transforms and HTTP
   * destinations; the others are ignored. A kept value must be one line of at most 1,024
   * characters (else ingress answers `400` naming `headers.<Name>`). Names the client sets itself
   * or that reseq reserves are refused with a `TypeError` before anything is sent: `Content-Type`
   * (use `contentType`), `Idempotency-Key` (use `idempotencyKey`), `Authorization` (the client's
   * `apiKey`), `Accept`, `Content-Length`, `Content-Encoding`, `Host`, the hop-by-hop headers
   * (`Connection`, `Keep-Alive`, `Transfer-Encoding`, `TE`, `Trailer`, `Upgrade`, `Expect`, ...)
   * and every `Reseq-*`.
   */
  headers?: Record<string, string>;
  /** Abandons the call, its retries included. */
  signal?: AbortSignal;
}

/** One message of a {@link ReseqClient.sendMany}. */
export interface OutgoingMessage extends Omit<SendOptions, 'signal'> {
  body: Payload;
}

/**
 * One message of a {@link ReseqClient.sendBatch}: the request's headers go with every message of
 * a batch, so they are the batch's `headers` option, not the message's.
 */
export type BatchMessage = Omit<OutgoingMessage, 'headers'>;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header names a caller may not pass, by lower-case name, with why. */
const REFUSED_HEADERS = new Map<string, string>([
  ['content-type', 'use the contentType option'],
  ['idempotency-key', 'use the idempotencyKey option'],
  ['authorization', "the client sends its own credential (the apiKey option)"],
  ['accept', 'the client sets it'],
  ['content-length', 'the client sets it'],
  ['content-encoding', 'the client sends the payload as it is'],
  ['host', 'the client sets it'],
  ...['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'expect']
    .map((name): [string, string] => [name, 'it describes one connection, not the message']),
]);

/**
 * A caller's further request headers, checked so that none replaces one the client sets or
 * reseq reserves, and so that fetch cannot refuse them after the first attempt began (which
 * would look like a network error and be retried).
 */
export function extraHeaders(headers: Record<string, string> | undefined): Record<string, string> {
  if (headers === undefined) {
    return {};
  }
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new TypeError('headers must be an object of header names to string values');
  }
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!TOKEN.test(name)) {
      throw new TypeError(`'${name}' is not a valid header name`);
    }
    const lower = name.toLowerCase();
    const why = lower.startsWith('reseq-') ? 'reseq reserves every Reseq-* header' : REFUSED_HEADERS.get(lower);
    if (why !== undefined) {
      throw new TypeError(`the header ${name} cannot be passed in headers: ${why}`);
    }
    if (typeof value !== 'string') {
      throw new TypeError(`the header ${name} must have a string value`);
    }
    if (/[\r\n\0]|[^\u0000-\u00ff]/.test(value)) {
      throw new TypeError(`the header ${name} must be one line of Latin-1 characters`);
    }
    checked[name] = value;
  }
  return checked;
}

/**
 * A message as a batch item: a JSON value without a content type of its own goes as `body`
 * (stored as JSON); anything else as `bodyBase64` with the content type {@link encode} gives it,
 * so that a message is stored the same whether it was sent alone or in a batch.
 */
export function batchItem(payload: Payload, contentType?: string): { body: unknown } | { bodyBase64: string; contentType: string } {
  if (!(payload instanceof Uint8Array) && typeof payload !== 'string' && contentType === undefined && payload !== undefined) {
    return { body: payload };
  }
  const encoded = encode(payload, contentType);
  return { bodyBase64: Buffer.from(encoded.body).toString('base64'), contentType: encoded.contentType };
}

export function encode(payload: Payload, contentType?: string): { body: Uint8Array | string; contentType: string } {
  if (payload instanceof Uint8Array) {
    return { body: payload, contentType: contentType ?? 'application/octet-stream' };
  }
  if (typeof payload === 'string') {
    return { body: payload, contentType: contentType ?? 'text/plain; charset=utf-8' };
  }
  if (payload === undefined) {
    throw new TypeError('a message needs a payload; undefined cannot be sent');
  }
  return { body: JSON.stringify(payload), contentType: contentType ?? 'application/json' };
}
