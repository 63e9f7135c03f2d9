/**
 * The event log port: the control plane's source of truth. Two adapters implement it with the same
 * semantics and pass the same contract suite (event-log.contract.ts): Kafka (production) and an
 * embedded append-only file (single process).
 *
 * The log stores opaque records (one commit each: a JSON CommitRecord), keyed by tenant id. Records
 * with the same key land in the same partition and keep their append order there. The log never
 * rewrites or drops a record; deciding whether a record's events take effect ("the log is the
 * arbiter": expected-version and invariant checks) is the consumers' job, not the log's.
 */

/** Where a record sits: its partition and its offset within that partition (0-based, gap-free per adapter). */
export interface LogPosition {
  readonly partition: number;
  readonly offset: bigint;
}

/** One record as read back. `value` is exactly the bytes appended. */
export interface LogRecord {
  readonly position: LogPosition;
  readonly key: string;
  readonly value: Buffer;
}

/** Next offset to read per partition; a partition that is missing is read from its beginning. */
export type LogCheckpoint = ReadonlyMap<number, bigint>;

export interface LogSubscription {
  /** Stops delivering; resolves once the handler will not be called again. */
  stop(): Promise<void>;
}

export interface EventLog {
  /** Number of partitions; fixed for the life of the log. The file log has one. */
  partitions(): Promise<number>;
  /** Which partition records with this key go to. Deterministic, the same in every process. */
  partitionFor(key: string): Promise<number>;
  /**
   * Appends one record and resolves once it is durable (Kafka: acknowledged by all in-sync
   * replicas through an idempotent producer; file: written and fsync'd). Rejects with an
   * EventLogError if it cannot be made durable; a rejected append may or may not have been
   * stored (for example a lost acknowledgement), so callers make records idempotent by id.
   */
  append(key: string, value: Buffer): Promise<LogPosition>;
  /**
   * The next offset that will be written in each partition, as of now: reading up to these
   * offsets means having seen everything appended before the call ("caught up").
   */
  endOffsets(): Promise<ReadonlyMap<number, bigint>>;
  /**
   * Delivers every record from `from` on, in offset order within each partition, and keeps
   * delivering new ones until stopped. The handler is awaited before the next record of the same
   * partition is delivered; a handler that throws stops the subscription and `onError` is called.
   */
  subscribe(
    from: LogCheckpoint,
    handler: (record: LogRecord) => Promise<void>,
    onError?: (error: unknown) => void,
  ): Promise<LogSubscription>;
  /** Releases files, connections and timers. */
  close(): Promise<void>;
}

/** A failure of the log itself, with a stable reason; `cause` is the underlying error. */
/** Largest record either adapter accepts (Kafka's default broker limit is about 1 MiB). */
export const MAX_RECORD_BYTES = 1_000_000;

export class EventLogError extends Error {
  constructor(
    readonly reason: 'event_log.unavailable' | 'event_log.corrupt' | 'event_log.closed' | 'event_log.too_large',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventLogError';
  }
}
