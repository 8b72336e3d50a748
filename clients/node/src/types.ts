/** A step of a destination's transform chain. */
export type Transform =
  /** Simulated work: waits between `minMs` and `maxMs`. */
  | { type: 'delay'; minMs: number; maxMs: number }
  /** Posts the payload to `url`; the 2xx body becomes the payload. */
  | { type: 'http'; url: string; timeoutMs?: number }
  /** Maps the JSON payload with a JSONata expression; `$destination`, `$sequence`, `$messageId`, `$contentType` are bound. */
  | { type: 'jsonata'; expression: string }
  /** Sets the content type, keeps the bytes. */
  | { type: 'content-type'; contentType: string };

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
  /** HTTP: extra request headers sent with every delivery; read back as `******`. */
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
  [field: string]: unknown;
}

/** A destination as read back: its name, its configuration with defaults filled in, its status. */
export type Destination = DestinationConfig & {
  name: string;
  status?: DestinationStatus;
  /** Why the stored configuration could not be read, in place of it. */
  unreadable?: string;
};

/** A channel and the destinations it fans out to, in route order. */
export interface Channel {
  name: string;
  destinations: string[];
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
