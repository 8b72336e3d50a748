// The shapes the admin API answers with (docs/API.md); only the fields the console reads.

export interface HeadOfLine {
  sequence: number;
  state: 'PROCESSING' | 'DONE' | 'FAILED' | 'UNREADABLE';
  ageMs: number;
  error?: string | null;
  attempts?: number | null;
}

export interface DeliveryHead {
  sequence: number;
  state: 'HELD';
  error?: string | null;
}

export interface DestinationStatus {
  lastSequence: number;
  releasedSequence: number;
  deliveredSequence: number;
  backlog: number;
  paused: boolean;
  headOfLine: HeadOfLine | null;
  deadLetters: number;
  deliveryHead: DeliveryHead | null;
  oldestUndeliveredAgeMs: number | null;
  transformTypesWithoutWorker?: string[];
  /** The instances leading the destination now, resequencer first; a role without one is left out. */
  leaders?: Leader[];
}

export interface Leader {
  role: 'RESEQUENCER' | 'EGRESS';
  instance: string;
  epoch: number;
}

export interface Destination {
  name: string;
  type?: 'HTTP' | 'TCP';
  unreadable?: string;
  onFailure?: string;
  status: DestinationStatus;
  [field: string]: unknown;
}

export interface Channel {
  name: string;
  destinations: string[];
  keepHeaders?: string[];
}

export interface DeadLetter {
  sequence: number;
  messageId: string;
  stage: 'TRANSFORM' | 'DELIVERY' | 'SKIPPED';
  error: string | null;
  attempts: number | null;
  contentType: string | null;
  deadLetteredAt: string;
  redeliveredAt: string | null;
  payload?: string;
}

export interface OperatorAction {
  id: number;
  action: 'PAUSE' | 'RESUME' | 'RETRY' | 'SKIP' | 'REDELIVER' | 'DELETE' | string;
  sequence: number | null;
  actor: string | null;
  detail: string | null;
  at: string;
}

/** An RFC 9457 problem, as every error of the API is. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}
