/**
 * A step of a destination's transform chain: one of reseq's built-in types, or a type a
 * worker's plugin provides ({@link PluginTransform}; see {@link ReseqClient.listTransformTypes}).
 */
export type Transform = BuiltInTransform | PluginTransform;

/** The transform steps reseq has built in. */
export type BuiltInTransform =
  /** Simulated work: waits between `minMs` and `maxMs`. */
  | { type: 'delay'; minMs: number; maxMs: number }
  /**
   * Posts the payload, with the message's travelling headers, to `url`; the 2xx body becomes the
   * payload (and its `Reseq-Headers`, when present, the travelling headers).
   */
  | { type: 'http'; url: string; timeoutMs?: number }
  /**
   * Maps the JSON payload with a JSONata expression; `$destination`, `$sequence`, `$messageId`,
   * `$contentType` and `$headers` (the travelling headers as an object, such as
   * `` $headers.`X-Tenant` ``) are bound.
   */
  | { type: 'jsonata'; expression: string }
  /** Sets the content type, keeps the bytes. */
  | { type: 'content-type'; contentType: string }
  /**
   * Changes the travelling headers: first `copy` (new name to the name whose value it takes),
   * then `set` (name to a value, or to a JSONata expression evaluated as a `jsonata` step's),
   * then `remove`. Names are matched in any case.
   */
  | HeadersTransform;

/** The `headers` step: changes the message's travelling headers. */
export interface HeadersTransform {
  type: 'headers';
  /** A new header name to the name of the header whose value it takes (nothing when that one is absent). */
  copy?: Record<string, string>;
  /** A header name to its value, or to `{ jsonata }` evaluated over the JSON payload; an undefined result leaves it out. */
  set?: Record<string, string | { jsonata: string }>;
  /** Header names to drop. */
  remove?: string[];
}

/**
 * A step of a type a worker's plugin provides: `type` names it, the other fields are its
 * configuration, checked by ingress against the JSON Schema the plugin published.
 */
export interface PluginTransform {
  type: string;
  [field: string]: unknown;
}

/** A transform type a destination may name, as `GET /admin/v1/transform-types` lists it. */
export interface TransformType {
  /** What `transforms[i].type` names. */
  name: string;
  /** Whether reseq has it built in (its fields are in the API documentation). */
  builtIn: boolean;
  /** Workers that published it in the last 30 s. */
  liveWorkers: number;
  /** When a worker last published it (ISO 8601); absent when none has. */
  lastPublishedAt?: string;
  /** A plugin's JSON Schema of its fields other than `type`; absent for built-ins. */
  configSchema?: object;
}

/**
 * A destination's configuration, as `PUT /admin/v1/destinations/{name}` takes it. Fields left
 * out get reseq's defaults; unknown fields are refused with `400`.
 */
export interface DestinationConfig {
  type: 'HTTP' | 'TCP';
  /** HTTP: where each message is posted. */
  url?: string;
  /** TCP: where the connection goes. */
  host?: string;
  port?: number;
  framing?: 'LINE' | 'LENGTH_PREFIXED';
  ack?: 'NONE' | 'LINE';
  transforms?: Transform[];
  maxBatch?: number;
  onFailure?: 'BLOCK' | 'DEAD_LETTER';
  transformTimeoutMs?: number;
  transformAttempts?: number;
  deliveryTimeoutMs?: number;
  /** Above this many undelivered messages, ingest answers `429`. */
  maxBacklog?: number;
  /** TCP: reach the destination over TLS. */
  tls?: boolean;
  /**
   * HTTP: extra request headers sent with every delivery, before the message's travelling
   * headers, and winning over a travelling header of the same name; read back as `******`.
   */
  headers?: Record<string, string>;
  /** Further fields of later versions, passed through unchanged. */
  [field: string]: unknown;
}

/** Where a destination stands: its cursors, backlog and what holds it up, if anything. */
export interface DestinationStatus {
  lastSequence: number;
  releasedSequence: number;
  deliveredSequence: number;
  backlog: number;
  paused: boolean;
  headOfLine: {
    sequence: number;
    state: 'PROCESSING' | 'DONE' | 'FAILED' | 'UNREADABLE';
    ageMs: number;
    error?: string;
    attempts?: number;
  } | null;
  deadLetters: number;
  deliveryHead: { sequence: number; state: 'HELD'; error: string } | null;
  oldestUndeliveredAgeMs: number | null;
  /** The instances leading the destination now, resequencer first; a role without a leader is left out. */
  leaders?: { role: 'RESEQUENCER' | 'EGRESS'; instance: string; epoch: number }[];
  /**
   * The types of the transform chain that no live worker runs, in chain order (`[]` when each
   * has one); absent when reseq could not read which types the workers run.
   */
  transformTypesWithoutWorker?: string[];
  [field: string]: unknown;
}

/** A destination as read back: its name, its configuration with defaults filled in, its status. */
export type Destination = DestinationConfig & {
  name: string;
  status?: DestinationStatus;
  /** Why the stored configuration could not be read, in place of it. */
  unreadable?: string;
};

/**
 * A channel's configuration, as `PUT /admin/v1/channels/{name}` takes it. Every destination it
 * names must exist.
 */
export interface ChannelConfig {
  /** The destinations each message fans out to, in route order. */
  destinations: string[];
  /**
   * The sender headers its messages keep (at most 16, case-insensitive), such as
   * `['X-Correlation-Id', 'X-Tenant']`: stored with each message, passed to every transform and
   * sent to HTTP destinations, named as this list spells them. Absent or `[]` keeps none. Names
   * the delivery or the exchange owns, and credentials, cannot be kept (`400`): `Reseq-*`,
   * `Idempotency-Key`, `Content-Type`, `Content-Length`, `Content-Encoding`, `Transfer-Encoding`,
   * `Host`, the hop-by-hop headers, `Authorization`, `Proxy-Authorization`, `Cookie`.
   */
  keepHeaders?: string[];
}

/** A channel as read back: the destinations it fans out to, in route order, and the headers it keeps. */
export interface Channel {
  name: string;
  destinations: string[];
  /** The sender headers its messages keep, as the channel spells them; `[]` when none. */
  keepHeaders: string[];
}

/** What ingress answered once a message was committed: one delivery per destination. */
export interface SendReceipt {
  messageId: string;
  channel: string;
  /** In route order; each destination's `sequence` is the message's place in its order. */
  deliveries: { destination: string; sequence: number }[];
  /** True when ingress answered a repeat of a kept `Idempotency-Key` and stored nothing new. */
  replayed: boolean;
}

/** A message a destination could not take, kept for an operator. */
export interface DeadLetter {
  sequence: number;
  messageId: string;
  stage: 'TRANSFORM' | 'DELIVERY' | 'SKIPPED';
  error: string;
  attempts: number;
  contentType: string;
  deadLetteredAt: string;
  redeliveredAt: string | null;
  /** The kept bytes in base64; only when read one by one. */
  payload?: string;
}

/** An operator action as reseq recorded it. */
export interface OperatorAction {
  id: number;
  action: 'PAUSE' | 'RESUME' | 'RETRY' | 'SKIP' | 'REDELIVER' | 'DELETE';
  sequence: number | null;
  actor: string | null;
  detail: string | null;
  at: string;
}
