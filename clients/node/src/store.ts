/**
 * Where an {@link orderedReceiver} keeps, per destination, the last sequence its handler
 * finished. reseq delivers each destination's messages one at a time in sequence order and
 * repeats one whose answer it did not get, so "at or below the last finished sequence" is
 * exactly "already handled".
 *
 * Keep it where your handler's effects are kept, so that both survive the same restarts: in
 * memory only for effects that do not outlive the process. For effects in PostgreSQL, the
 * strongest choice is to write the sequence in the same transaction as the effects, for example
 * `INSERT INTO receiver_cursor (destination, sequence) VALUES ($1, $2) ON CONFLICT (destination)
 * DO UPDATE SET sequence = greatest(receiver_cursor.sequence, excluded.sequence)`: then a crash
 * between the two can never run a message's effects twice. For Redis, see
 * {@link keyValueSequenceStore}.
 */
export interface SequenceStore {
  /** The last sequence finished for `destination`; 0 when none was. */
  lastProcessed(destination: string): Promise<number>;
  /** Records that the handler finished `sequence` of `destination`. */
  markProcessed(destination: string, sequence: number): Promise<void>;
}

/** A {@link SequenceStore} in this process's memory: forgotten when the process ends. */
export class MemorySequenceStore implements SequenceStore {
  private readonly sequences = new Map<string, number>();

  async lastProcessed(destination: string): Promise<number> {
    return this.sequences.get(destination) ?? 0;
  }

  async markProcessed(destination: string, sequence: number): Promise<void> {
    this.sequences.set(destination, Math.max(sequence, this.sequences.get(destination) ?? 0));
  }
}

/**
 * A plain asynchronous key-value store, the shape of a Redis client (`node-redis` and `ioredis`
 * both fit as they are) or of a small wrapper over a table.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | null | undefined>;
  set(key: string, value: string): Promise<unknown>;
}

/**
 * A {@link SequenceStore} over a {@link KeyValueStore}, one key per destination:
 * `keyValueSequenceStore(redis, 'billing-receiver:')`. Give each receiving application its own
 * prefix: two applications behind one destination each keep their own place.
 *
 * The write is a plain `set`, which is enough because one receiver handles one destination's
 * messages one at a time; receivers in several processes sharing the key still see each
 * sequence handled at least once, and a repeat dropped unless it races its original.
 */
export function keyValueSequenceStore(store: KeyValueStore, prefix = 'reseq-receiver:'): SequenceStore {
  return {
    async lastProcessed(destination) {
      const value = await store.get(prefix + destination);
      return value === null || value === undefined ? 0 : Number(value);
    },
    async markProcessed(destination, sequence) {
      await store.set(prefix + destination, String(sequence));
    },
  };
}
