import type { IncomingMessage } from 'node:http';
import { RejectedRequest } from './http-body.js';
import { PermanentTransformError } from './transform-errors.js';

/** A message as reseq's `http` transform posts it. */
export interface TransformMessage {
  /** The payload as it arrives at this step of the chain. */
  body: Buffer;
  /** The payload's `Content-Type` (`application/octet-stream` when the request had none). */
  contentType: string;
  /**
   * The message's travelling headers (those the request's `Reseq-Headers` names), keyed by the
   * names as listed there; {@link TransformMessage.header} looks one up regardless of case.
   */
  headers: Record<string, string>;
  /** The destination whose chain runs (`Reseq-Destination`). */
  destination: string;
  /** The message's place in the destination's order, from 1 (`Reseq-Sequence`). */
  sequence: number;
  /** The id ingress gave the message (`Reseq-Message-Id`). */
  messageId: string;
  /** A travelling header's value, the name matched regardless of case. */
  header(name: string): string | undefined;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON; a body that is not JSON throws a {@link PermanentTransformError}. */
  json<T = unknown>(): T;
}

/** What a transform answers when it sets more than the payload. */
export interface TransformReply {
  /** The new payload: bytes as they are, a string as UTF-8, anything else as JSON. */
  body: Buffer | Uint8Array | string | object;
  /**
   * The new payload's content type. Default: the incoming one for bytes,
   * `text/plain; charset=utf-8` for a string, `application/json` for JSON.
   */
  contentType?: string;
  /** When given, the message's travelling headers become exactly these; left out, they stay as they were. */
  headers?: Record<string, string>;
}

/** What a transform function may resolve to: a {@link TransformReply}, or just the new payload. */
export type TransformResult = TransformReply | Buffer | Uint8Array | string | object;

/** A response to write: status, headers and body. */
export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** The answer a transform produced is not one that can be sent; answered `500` with this message. */
export class InvalidReply extends Error {}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const MEDIA_TYPE =
  /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*;[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+=(?:[!#$%&'*+.^_`|~0-9A-Za-z-]+|"(?:[^"\\\r\n]|\\[^\r\n])*"))*$/;
/** What Node.js itself would refuse to write as a field value, and more: no CR, LF or NUL. */
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
/** Headers that frame the answer or carry reseq's own protocol; a travelling header by such a name would be lost or misread. */
const RESERVED = new Set(['content-type', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'host', 'retry-after', 'idempotency-key']);
const REPLY_KEYS = new Set(['body', 'contentType', 'headers']);

export const OCTET_STREAM = 'application/octet-stream';

/** What the request's headers say about the message, read before its body. */
export interface Metadata {
  destination: string;
  sequence: number;
  messageId: string;
  contentType: string;
  headers: Record<string, string>;
}

/** The message's metadata; throws a `400` {@link RejectedRequest} when a `Reseq-*` header is missing or wrong. */
export function readMetadata(req: IncomingMessage): Metadata {
  const destination = required(req, 'reseq-destination');
  const rawSequence = required(req, 'reseq-sequence');
  const sequence = Number(rawSequence);
  if (!/^[0-9]+$/.test(rawSequence) || !Number.isSafeInteger(sequence) || sequence < 1) {
    throw new RejectedRequest(400, `Reseq-Sequence must be a positive decimal integer, not '${rawSequence}'`);
  }
  const messageId = required(req, 'reseq-message-id');
  return { destination, sequence, messageId, contentType: req.headers['content-type'] || OCTET_STREAM, headers: travellingHeaders(req) };
}

export function toTransformMessage(metadata: Metadata, body: Buffer): TransformMessage {
  const byLowerName = new Map(Object.entries(metadata.headers).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    ...metadata,
    body,
    header: (name) => byLowerName.get(name.toLowerCase()),
    text: () => body.toString('utf8'),
    json: <T>() => {
      try {
        return JSON.parse(body.toString('utf8')) as T;
      } catch (error) {
        throw new PermanentTransformError(`the payload is not JSON: ${(error as Error).message}`, { cause: error });
      }
    },
  };
}

function required(req: IncomingMessage, name: string): string {
  const value = req.headers[name];
  if (typeof value !== 'string' || value === '') {
    throw new RejectedRequest(400, `not a request of reseq's http transform: the ${name} header is missing`);
  }
  return value;
}

/** The headers `Reseq-Headers` names; a name without such a header (a proxy dropped it) is left out. */
function travellingHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  const listed = req.headers['reseq-headers'];
  if (typeof listed !== 'string') {
    return headers;
  }
  const seen = new Set<string>();
  for (const name of listed.split(',').map((n) => n.trim())) {
    const lower = name.toLowerCase();
    const value = req.headers[lower];
    if (name === '' || value === undefined || seen.has(lower)) {
      continue;
    }
    seen.add(lower);
    headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** The `2xx` answer for what the transform function resolved to; throws {@link InvalidReply} for one that cannot be sent. */
export function toAnswer(result: TransformResult | undefined, message: TransformMessage): Answer {
  if (result === undefined) {
    throw new InvalidReply('the transform resolved to undefined; resolve to the new payload or a { body } reply');
  }
  const reply: TransformReply = isReply(result) ? result : { body: result };
  const { body, contentType } = payload(reply, message);
  const headers: Record<string, string> = { 'Content-Type': contentType, 'Content-Length': String(body.length) };
  if (reply.headers !== undefined) {
    Object.assign(headers, travelling(reply.headers));
  }
  return { status: 200, headers, body };
}

/**
 * A plain object whose keys are only `body`, `contentType` and `headers`, `body` among them, is
 * a reply; any other object is a JSON payload. (To send a JSON object of just those keys, wrap it: `{ body: obj }`.)
 */
function isReply(result: TransformResult): result is TransformReply {
  if (typeof result !== 'object' || result === null || Array.isArray(result) || result instanceof Uint8Array) {
    return false;
  }
  const keys = Object.keys(result);
  return keys.includes('body') && keys.every((key) => REPLY_KEYS.has(key));
}

function payload(reply: TransformReply, message: TransformMessage): { body: Buffer; contentType: string } {
  const { body } = reply;
  let bytes: Buffer;
  let fallback: string;
  if (body instanceof Uint8Array) {
    bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
    fallback = message.contentType;
  } else if (typeof body === 'string') {
    bytes = Buffer.from(body, 'utf8');
    fallback = 'text/plain; charset=utf-8';
  } else {
    const json = JSON.stringify(body);
    if (json === undefined) {
      throw new InvalidReply(`the reply's body (${typeof body}) has no JSON form`);
    }
    bytes = Buffer.from(json, 'utf8');
    fallback = 'application/json';
  }
  const contentType = reply.contentType ?? fallback;
  if (typeof contentType !== 'string' || !MEDIA_TYPE.test(contentType)) {
    throw new InvalidReply(`the reply's contentType ${JSON.stringify(contentType)} is not a media type (type/subtype; name=value)`);
  }
  return { body: bytes, contentType };
}

/** The travelling headers as answer headers, with `Reseq-Headers` naming them; validated so that writing them cannot fail. */
function travelling(headers: Record<string, string>): Record<string, string> {
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) {
    throw new InvalidReply("the reply's headers must be an object of header names to string values");
  }
  const answer: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!TOKEN.test(name)) {
      throw new InvalidReply(`the reply's header name ${JSON.stringify(name)} is not an HTTP token`);
    }
    if (RESERVED.has(lower) || lower.startsWith('reseq-')) {
      throw new InvalidReply(`the reply's header ${name} is reserved for the HTTP exchange itself and cannot travel with the message`);
    }
    if (seen.has(lower)) {
      throw new InvalidReply(`the reply names the header ${name} twice (header names are case-insensitive)`);
    }
    if (typeof value !== 'string') {
      throw new InvalidReply(`the reply's header ${name} must be a string, not ${value === null ? 'null' : typeof value}`);
    }
    if (!FIELD_VALUE.test(value)) {
      throw new InvalidReply(`the reply's header ${name} has a character a header value cannot carry (CR, LF, NUL, a control character or one beyond U+00FF)`);
    }
    if (value !== value.trim()) {
      // HTTP drops a value's outer whitespace, so reseq would read a different value.
      throw new InvalidReply(`the reply's header ${name} starts or ends with whitespace, which HTTP does not keep`);
    }
    seen.add(lower);
    answer[name] = value;
  }
  answer['Reseq-Headers'] = Object.keys(answer).join(',');
  return answer;
}

/** An `application/problem+json` answer (RFC 9457). */
export function problem(status: number, slug: string, title: string, detail: string, extra: Record<string, string> = {}): Answer {
  const body = Buffer.from(JSON.stringify({ type: `https://reseq.dev/problems/${slug}`, title, status, detail }), 'utf8');
  return { status, headers: { 'Content-Type': 'application/problem+json', 'Content-Length': String(body.length), ...extra }, body };
}
