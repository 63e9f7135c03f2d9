import pg from 'pg';
import { BinaryCopyWriter } from '../infra/database/pg-binary-copy.js';
import type { ChainedRecord, StoredCheckpoint, StoredRecord } from './audit-chain.js';
import type { AuditColumns } from './audit-record.js';

/**
 * Where the audit trail's SQL runs: a Prisma client (PGlite in the embedded default, or
 * PostgreSQL), or a plain `pg` pool (`pgAuditSql`, PostgreSQL in production: several times less
 * CPU per multi-megabyte batch than going through Prisma). Every statement is raw SQL that both
 * run alike: rows travel as one JSON parameter unpacked by jsonb_to_recordset, hashes as hex, and
 * results are cast to text, int or float8, so no driver type mapping touches what gets hashed.
 */
export interface Sql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/**
 * A `Sql` that can also append a batch through COPY (a `pg` pool): the events stream in as binary
 * COPY rows instead of one multi-megabyte JSON parameter that PostgreSQL parses and unpacks with
 * jsonb_to_recordset, which costs the database about a third of the CPU per event.
 */
export interface BulkSql extends Sql {
  appendBatchByCopy(batch: AppendBatch): Promise<AppendCounts>;
}

const isBulk = (sql: Sql): sql is BulkSql => typeof (sql as Partial<BulkSql>).appendBatchByCopy === 'function';

/** The `Sql` of a `pg` pool. */
export const pgAuditSql = (pool: pg.Pool): BulkSql => ({
  $queryRawUnsafe: async <T>(query: string, ...values: unknown[]) => (await pool.query(query, values)).rows as T,
  $executeRawUnsafe: async (query: string, ...values: unknown[]) => (await pool.query(query, values)).rowCount ?? 0,
  appendBatchByCopy: (batch) => appendByCopy(pool, batch),
});

/**
 * A `pg` pool for the audit sink: bounded waits (a database that stops answering is an error the
 * writer retries, not a hang) and idle connections that die in an outage are dropped quietly.
 */
export const openAuditPool = (connectionString: string, { max = 4, statementTimeoutMs = 120_000 } = {}): pg.Pool => {
  const pool = new pg.Pool({ connectionString, max, connectionTimeoutMillis: 10_000, statement_timeout: statementTimeoutMs, query_timeout: statementTimeoutMs + 10_000, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {});
  return pool;
};

const EVENT_COLUMNS: readonly (readonly [column: string, type: string])[] = [
  ['tenant_id', 'text'],
  ['seq', 'bigint'],
  ['event_id', 'uuid'],
  ['time', 'timestamptz'],
  ['region', 'text'],
  ['method', 'text'],
  ['principal_kind', 'text'],
  ['principal_key_id', 'text'],
  ['principal_issuer', 'text'],
  ['principal_subject', 'text'],
  ['virtual_server_id', 'text'],
  ['upstream_server_id', 'text'],
  ['tool', 'text'],
  ['outcome', 'text'],
  ['reason', 'text'],
  ['policy_log_position', 'text'],
  // json: stored as the canonical text that was hashed (carried as a JSON string, cast on the way in)
  ['event', 'text'],
  ['prev_hash', 'text'],
  ['hash', 'text'],
  ['mac', 'text'],
  ['mac_key_id', 'text'],
];
const BYTEA = new Set(['prev_hash', 'hash', 'mac']);
const q = (column: string) => `"${column}"`;

const EVENTS_INSERT = (param: string) => `INSERT INTO audit_event (${EVENT_COLUMNS.map(([c]) => q(c)).join(', ')})
SELECT ${EVENT_COLUMNS.map(([c]) => (BYTEA.has(c) ? `decode(x.${q(c)}, 'hex')` : c === 'event' ? `x.${q(c)}::json` : `x.${q(c)}`)).join(', ')}
FROM jsonb_to_recordset(${param}::jsonb) AS x(${EVENT_COLUMNS.map(([c, t]) => `${q(c)} ${t}`).join(', ')})`;

const CHECKPOINTS_INSERT = (param: string) => `INSERT INTO audit_checkpoint (tenant_id, seq, head_hash, signed_at, key_id, signature)
SELECT x.tenant_id, x.seq, decode(x.head_hash, 'hex'), x.signed_at, x.key_id, decode(x.signature, 'hex')
FROM jsonb_to_recordset(${param}::jsonb) AS x(tenant_id text, seq bigint, head_hash text, signed_at timestamptz, key_id text, signature text)`;

// a Kafka record quarantined before (a redelivery after a crash) is not stored twice
const QUARANTINE_INSERT = (param: string) => `INSERT INTO audit_quarantine (source, kafka_topic, kafka_partition, kafka_offset, kafka_key, raw, error, received_at)
SELECT x.source, x.kafka_topic, x.kafka_partition, x.kafka_offset, x.kafka_key, decode(x.raw, 'hex'), x.error, x.received_at
FROM jsonb_to_recordset(${param}::jsonb) AS x(source text, kafka_topic text, kafka_partition int, kafka_offset bigint, kafka_key text, raw text, error text, received_at timestamptz)
ON CONFLICT DO NOTHING`;

const str = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/** The rows parameter, assembled as text: the event JSON travels as a string holding exactly the text that was hashed. */
const eventRows = (records: readonly ChainedRecord[]): string => {
  const rows = records.map((r) => {
    const c = r.event.columns;
    return (
      `{"tenant_id":${str(r.event.tenantId)},"seq":${r.seq},"event_id":${str(r.event.eventId)},"time":${str(c.time)},"region":${str(c.region)},` +
      `"method":${str(c.method)},"principal_kind":${str(c.principalKind)},"principal_key_id":${str(c.principalKeyId)},` +
      `"principal_issuer":${str(c.principalIssuer)},"principal_subject":${str(c.principalSubject)},` +
      `"virtual_server_id":${str(c.virtualServerId)},"upstream_server_id":${str(c.upstreamServerId)},"tool":${str(c.tool)},` +
      `"outcome":${str(c.outcome)},"reason":${str(c.reason)},"policy_log_position":${str(c.policyLogPosition)},` +
      `"event":${JSON.stringify(r.event.eventJson)},"prev_hash":"${r.prevHash.toString('hex')}","hash":"${r.hash.toString('hex')}",` +
      `"mac":"${r.mac.toString('hex')}","mac_key_id":${str(r.macKeyId)}}`
    );
  });
  return `[${rows.join(',')}]`;
};

export interface CheckpointRow extends StoredCheckpoint {
  readonly tenantId: string;
}

const checkpointRows = (checkpoints: readonly CheckpointRow[]) =>
  JSON.stringify(
    checkpoints.map((c) => ({
      tenant_id: c.tenantId,
      seq: c.seq,
      head_hash: c.headHash.toString('hex'),
      signed_at: c.signedAt.toISOString(),
      key_id: c.keyId,
      signature: c.signature.toString('hex'),
    })),
  );

/** Where a record came from: a Kafka topic-partition-offset, or the in-process `ingest`. */
export type RecordOrigin =
  | { readonly source: 'kafka'; readonly topic: string; readonly partition: number; readonly offset: string; readonly key: string | null }
  | { readonly source: 'ingest' };

export interface QuarantineRow {
  readonly origin: RecordOrigin;
  readonly raw: Buffer;
  readonly error: string;
}

const quarantineRows = (rows: readonly QuarantineRow[], receivedAt: Date) =>
  JSON.stringify(
    rows.map(({ origin, raw, error }) => ({
      source: origin.source,
      kafka_topic: origin.source === 'kafka' ? origin.topic : null,
      kafka_partition: origin.source === 'kafka' ? origin.partition : null,
      kafka_offset: origin.source === 'kafka' ? origin.offset : null,
      kafka_key: origin.source === 'kafka' ? origin.key : null,
      raw: raw.toString('hex'),
      error,
      received_at: receivedAt.toISOString(),
    })),
  );

/** What a batch wrote. */
export interface AppendCounts {
  readonly events: number;
  readonly checkpoints: number;
  readonly quarantined: number;
}

const COPY_EVENTS = `COPY audit_event (${EVENT_COLUMNS.map(([c]) => q(c)).join(', ')}) FROM STDIN WITH (FORMAT binary)`;

/**
 * The fields of an event's row that depend on the event alone (event_id … event, in EVENT_COLUMNS
 * order), in binary COPY form. An admission thread writes them ahead (`AcceptedEvent.copyFields`).
 */
export const writeEventFields = (w: BinaryCopyWriter, eventId: string, c: AuditColumns, eventBytes: Uint8Array): BinaryCopyWriter =>
  w
    .uuid(eventId)
    .timestamptz(Date.parse(c.time))
    .text(c.region)
    .text(c.method)
    .text(c.principalKind)
    .text(c.principalKeyId)
    .text(c.principalIssuer)
    .text(c.principalSubject)
    .text(c.virtualServerId)
    .text(c.upstreamServerId)
    .text(c.tool)
    .text(c.outcome)
    .text(c.reason)
    .text(c.policyLogPosition)
    .bytes(eventBytes);

/** The batch's events as binary COPY rows, in EVENT_COLUMNS order; the event JSON goes in as the bytes that were hashed. */
const copyRows = (records: readonly ChainedRecord[]): Buffer[] => {
  const rows = new BinaryCopyWriter();
  for (const r of records) {
    const { event } = r;
    rows.row(EVENT_COLUMNS.length).text(event.tenantId).int64(r.seq);
    if (event.copyFields) rows.raw(event.copyFields);
    else writeEventFields(rows, event.eventId, event.columns, event.eventBytes);
    rows.bytes(r.prevHash).bytes(r.hash).bytes(r.mac).text(r.macKeyId);
  }
  return rows.finish();
};

interface CopyConnection {
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
  query(text: string): void;
}

/**
 * `COPY … FROM STDIN` as a pg submittable (what pg-copy-streams does, without a stream): sends the
 * chunks when the server asks for them, and settles once with the row count or the server's error.
 */
class CopyFrom {
  callback: ((error: Error | null, rows?: number) => void) | undefined;
  private rows = 0;
  private settled = false;

  constructor(
    private readonly text: string,
    private readonly chunks: readonly Buffer[],
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rows = Number(/^COPY (\d+)/.exec(message.text ?? '')?.[1] ?? 0);
  }

  handleReadyForQuery(): void {
    this.settle(null);
  }

  handleError(error: Error): void {
    this.settle(error);
  }

  handleEmptyQuery(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}

  private settle(error: Error | null): void {
    if (this.settled) return;
    this.settled = true;
    this.callback?.(error, this.rows);
  }
}

const copyFrom = (client: pg.PoolClient, text: string, chunks: readonly Buffer[]): Promise<number> =>
  new Promise((resolve, reject) => {
    const copy = new CopyFrom(text, chunks);
    copy.callback = (error, rows) => (error ? reject(error) : resolve(rows ?? 0));
    (client as unknown as { query(submittable: CopyFrom): void }).query(copy);
  });

/** `appendBatch` on a pg pool: BEGIN, COPY the events, insert checkpoints and quarantine, COMMIT. */
const appendByCopy = async (pool: pg.Pool, batch: AppendBatch): Promise<AppendCounts> => {
  const client = await pool.connect();
  let broken: Error | undefined;
  // a checked-out client has no listener of the pool's: a connection cut between two statements
  // (a database outage) would be an uncaught 'error' event, which ends the process
  const onError = (error: Error) => {
    broken = error;
  };
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const events = batch.records.length > 0 ? await copyFrom(client, COPY_EVENTS, copyRows(batch.records)) : 0;
    const rest = await client.query<{ checkpoints: number; quarantined: number }>(
      `WITH c AS (${CHECKPOINTS_INSERT('$1')} RETURNING 1), q AS (${QUARANTINE_INSERT('$2')} RETURNING 1)
       SELECT (SELECT count(*) FROM c)::int AS checkpoints, (SELECT count(*) FROM q)::int AS quarantined`,
      [checkpointRows(batch.checkpoints), quarantineRows(batch.quarantine, batch.receivedAt)],
    );
    await client.query('COMMIT');
    return { events, checkpoints: Number(rest.rows[0]!.checkpoints), quarantined: Number(rest.rows[0]!.quarantined) };
  } catch (error) {
    // the server refused something (a taken event id or seq): roll back and reuse the connection;
    // anything else (a cut socket, a timeout) drops it
    if (error instanceof pg.DatabaseError) {
      await client.query('ROLLBACK').catch((rollback: unknown) => {
        broken = rollback instanceof Error ? rollback : new Error(String(rollback));
      });
    } else broken = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
};

export interface AppendBatch {
  readonly records: readonly ChainedRecord[];
  readonly checkpoints: readonly CheckpointRow[];
  readonly quarantine: readonly QuarantineRow[];
  readonly receivedAt: Date;
}

/**
 * Writes a batch in one statement, so in one implicit transaction and one round trip: the chained
 * records, the checkpoints that sign their new heads, and the quarantined records. A record whose
 * event id or seq is taken fails the whole statement with a unique violation (`isUniqueViolation`):
 * the writer then reads the heads again and starts over, so a chain never gets a gap.
 */
export const appendBatch = async (sql: Sql, batch: AppendBatch): Promise<AppendCounts> => {
  if (isBulk(sql)) return sql.appendBatchByCopy(batch);
  const rows = await sql.$queryRawUnsafe<{ events: number; checkpoints: number; quarantined: number }[]>(
    `WITH e AS (${EVENTS_INSERT('$1')} RETURNING 1), c AS (${CHECKPOINTS_INSERT('$2')} RETURNING 1), q AS (${QUARANTINE_INSERT('$3')} RETURNING 1)
     SELECT (SELECT count(*) FROM e)::int AS events, (SELECT count(*) FROM c)::int AS checkpoints, (SELECT count(*) FROM q)::int AS quarantined`,
    eventRows(batch.records),
    checkpointRows(batch.checkpoints),
    quarantineRows(batch.quarantine, batch.receivedAt),
  );
  const row = rows[0]!;
  return { events: Number(row.events), checkpoints: Number(row.checkpoints), quarantined: Number(row.quarantined) };
};

/** Inserts records as they are (what a forger can do without any privilege beyond INSERT; tests use it). */
export const insertEvents = async (sql: Sql, records: readonly ChainedRecord[]): Promise<number> =>
  records.length === 0 ? 0 : sql.$executeRawUnsafe(EVENTS_INSERT('$1'), eventRows(records));

/** A unique or primary key violation (SQLSTATE 23505), as Prisma reports it from either driver. */
export const isUniqueViolation = (error: unknown): boolean => {
  if ((error as { code?: unknown } | undefined)?.code === '23505') return true;
  const meta = (error as { meta?: { code?: unknown; driverAdapterError?: { cause?: { originalCode?: unknown; kind?: unknown } } } } | undefined)?.meta;
  if (meta?.code === '23505' || meta?.driverAdapterError?.cause?.originalCode === '23505' || meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation') return true;
  return error instanceof Error && /\b23505\b|duplicate key value|Unique constraint failed/i.test(error.message);
};

export interface ExistingEvent {
  readonly eventId: string;
  readonly tenantId: string;
  readonly seq: number;
  readonly eventText: string;
}

/** Which of these event ids are stored already, with their tenant and content. */
export const existingEvents = async (sql: Sql, eventIds: readonly string[]): Promise<ExistingEvent[]> => {
  if (eventIds.length === 0) return [];
  const rows = await sql.$queryRawUnsafe<{ event_id: string; tenant_id: string; seq: string; event: string }[]>(
    `SELECT event_id::text AS event_id, tenant_id, seq::text AS seq, event::text AS event FROM audit_event WHERE event_id = ANY($1::text::uuid[])`,
    `{${eventIds.join(',')}}`,
  );
  return rows.map((r) => ({ eventId: r.event_id, tenantId: r.tenant_id, seq: Number(r.seq), eventText: r.event }));
};

/** An audit_event row as read back by AUDIT_EVENT_SELECT: text forms of seq and ids, hashes in hex, time in ms. */
export interface AuditEventDbRow {
  seq: string;
  event_id: string;
  event: string;
  time_ms: number;
  region: string;
  method: string;
  principal_kind: string;
  principal_key_id: string | null;
  principal_issuer: string | null;
  principal_subject: string | null;
  virtual_server_id: string | null;
  upstream_server_id: string | null;
  tool: string | null;
  outcome: string;
  reason: string;
  policy_log_position: string;
  prev_hash: string;
  hash: string;
}

interface RecordRow extends AuditEventDbRow {
  mac: string;
  mac_key_id: string;
}

// Careful: the columns are renamed to their text forms, so ORDER BY must name the table's column
// (audit_event.seq), or it sorts the text alias.
export const AUDIT_EVENT_SELECT = `seq::text AS seq, event_id::text AS event_id, event::text AS event,
  (extract(epoch FROM "time") * 1000)::float8 AS time_ms, region, method, principal_kind, principal_key_id,
  principal_issuer, principal_subject, virtual_server_id, upstream_server_id, tool, outcome, reason,
  policy_log_position, encode(prev_hash, 'hex') AS prev_hash, encode(hash, 'hex') AS hash`;

const RECORD_SELECT = `${AUDIT_EVENT_SELECT}, encode(mac, 'hex') AS mac, mac_key_id`;

/** The query columns of a stored row but its time (which readers want as a Date or as ISO text). */
export const rowColumns = (r: AuditEventDbRow): Omit<AuditColumns, 'time'> => ({
  region: r.region,
  method: r.method,
  principalKind: r.principal_kind,
  principalKeyId: r.principal_key_id,
  principalIssuer: r.principal_issuer,
  principalSubject: r.principal_subject,
  virtualServerId: r.virtual_server_id,
  upstreamServerId: r.upstream_server_id,
  tool: r.tool,
  outcome: r.outcome,
  reason: r.reason,
  policyLogPosition: r.policy_log_position,
});

const toStoredRecord = (r: RecordRow): StoredRecord => ({
  seq: Number(r.seq),
  eventId: r.event_id,
  eventText: r.event,
  columns: { time: new Date(Number(r.time_ms)).toISOString(), ...rowColumns(r) },
  prevHash: Buffer.from(r.prev_hash, 'hex'),
  hash: Buffer.from(r.hash, 'hex'),
  mac: Buffer.from(r.mac, 'hex'),
  macKeyId: r.mac_key_id,
});

/** Records of a tenant with afterSeq < seq <= throughSeq, ascending, one page at a time. */
export async function* streamRecords(sql: Sql, tenantId: string, afterSeq: number, throughSeq: number | undefined, pageSize: number): AsyncGenerator<StoredRecord> {
  let after = afterSeq;
  for (;;) {
    const rows = await sql.$queryRawUnsafe<RecordRow[]>(
      `SELECT ${RECORD_SELECT} FROM audit_event WHERE tenant_id = $1 AND seq > $2::bigint AND seq <= $3::bigint ORDER BY audit_event.seq LIMIT ${pageSize}`,
      tenantId,
      String(after),
      String(throughSeq ?? Number.MAX_SAFE_INTEGER),
    );
    for (const row of rows) yield toStoredRecord(row);
    if (rows.length < pageSize) return;
    after = Number(rows.at(-1)!.seq);
  }
}

/** The record at one seq, if present. */
export const recordAt = async (sql: Sql, tenantId: string, seq: number): Promise<StoredRecord | undefined> => {
  const rows = await sql.$queryRawUnsafe<RecordRow[]>(`SELECT ${RECORD_SELECT} FROM audit_event WHERE tenant_id = $1 AND seq = $2::bigint`, tenantId, String(seq));
  return rows[0] && toStoredRecord(rows[0]);
};

interface CheckpointDbRow {
  tenant_id: string;
  seq: string;
  head_hash: string;
  signed_at_ms: number;
  key_id: string;
  signature: string;
}

const CHECKPOINT_SELECT = `tenant_id, seq::text AS seq, encode(head_hash, 'hex') AS head_hash,
  (extract(epoch FROM signed_at) * 1000)::float8 AS signed_at_ms, key_id, encode(signature, 'hex') AS signature`;

const toCheckpoint = (r: CheckpointDbRow): CheckpointRow => ({
  tenantId: r.tenant_id,
  seq: Number(r.seq),
  headHash: Buffer.from(r.head_hash, 'hex'),
  signedAt: new Date(Number(r.signed_at_ms)),
  keyId: r.key_id,
  signature: Buffer.from(r.signature, 'hex'),
});

/** Checkpoints of a tenant with afterSeq < seq <= throughSeq, ascending, one page at a time. */
export async function* streamCheckpoints(sql: Sql, tenantId: string, afterSeq: number, throughSeq: number | undefined, pageSize: number): AsyncGenerator<CheckpointRow> {
  let after = afterSeq;
  for (;;) {
    const rows = await sql.$queryRawUnsafe<CheckpointDbRow[]>(
      `SELECT ${CHECKPOINT_SELECT} FROM audit_checkpoint WHERE tenant_id = $1 AND seq > $2::bigint AND seq <= $3::bigint ORDER BY audit_checkpoint.seq LIMIT ${pageSize}`,
      tenantId,
      String(after),
      String(throughSeq ?? Number.MAX_SAFE_INTEGER),
    );
    for (const row of rows) yield toCheckpoint(row);
    if (rows.length < pageSize) return;
    after = Number(rows.at(-1)!.seq);
  }
}

/** The latest checkpoint of a tenant with afterSeq < seq < beforeSeq. */
export const checkpointBefore = async (sql: Sql, tenantId: string, beforeSeq: number, afterSeq: number): Promise<CheckpointRow | undefined> => {
  const rows = await sql.$queryRawUnsafe<CheckpointDbRow[]>(
    `SELECT ${CHECKPOINT_SELECT} FROM audit_checkpoint WHERE tenant_id = $1 AND seq < $2::bigint AND seq > $3::bigint ORDER BY audit_checkpoint.seq DESC LIMIT 1`,
    tenantId,
    String(beforeSeq),
    String(afterSeq),
  );
  return rows[0] && toCheckpoint(rows[0]);
};

export const checkpointAtOrAfter = async (sql: Sql, tenantId: string, seq: number): Promise<CheckpointRow | undefined> => {
  const rows = await sql.$queryRawUnsafe<CheckpointDbRow[]>(
    `SELECT ${CHECKPOINT_SELECT} FROM audit_checkpoint WHERE tenant_id = $1 AND seq >= $2::bigint ORDER BY audit_checkpoint.seq LIMIT 1`,
    tenantId,
    String(seq),
  );
  return rows[0] && toCheckpoint(rows[0]);
};

export interface RetentionRow {
  readonly tenantId: string;
  readonly fromSeq: number;
  readonly throughSeq: number;
  readonly anchorHash: Buffer;
  readonly before: Date;
  readonly deletedAt: Date;
  readonly keyId: string;
  readonly signature: Buffer;
}

/** Every retention deletion of a tenant, oldest first (one per retention run: few rows). */
export const retentions = async (sql: Sql, tenantId: string): Promise<RetentionRow[]> => {
  const rows = await sql.$queryRawUnsafe<
    { from_seq: string; through_seq: string; anchor_hash: string; before_ms: number; deleted_at_ms: number; key_id: string; signature: string }[]
  >(
    `SELECT from_seq::text AS from_seq, through_seq::text AS through_seq, encode(anchor_hash, 'hex') AS anchor_hash,
       (extract(epoch FROM "before") * 1000)::float8 AS before_ms, (extract(epoch FROM deleted_at) * 1000)::float8 AS deleted_at_ms,
       key_id, encode(signature, 'hex') AS signature
     FROM audit_retention WHERE tenant_id = $1 ORDER BY audit_retention.through_seq`,
    tenantId,
  );
  return rows.map((r) => ({
    tenantId,
    fromSeq: Number(r.from_seq),
    throughSeq: Number(r.through_seq),
    anchorHash: Buffer.from(r.anchor_hash, 'hex'),
    before: new Date(Number(r.before_ms)),
    deletedAt: new Date(Number(r.deleted_at_ms)),
    keyId: r.key_id,
    signature: Buffer.from(r.signature, 'hex'),
  }));
};

/** The seq span [min, max] of a tenant's events in a time window (after the retention floor). */
export const seqSpan = async (sql: Sql, tenantId: string, afterSeq: number, from: Date | undefined, to: Date | undefined): Promise<{ min: number; max: number } | undefined> => {
  const rows = await sql.$queryRawUnsafe<{ min: string | null; max: string | null }[]>(
    `SELECT min(seq)::text AS min, max(seq)::text AS max FROM audit_event
     WHERE tenant_id = $1 AND seq > $2::bigint AND "time" >= $3::timestamptz AND "time" <= $4::timestamptz`,
    tenantId,
    String(afterSeq),
    from?.toISOString() ?? '-infinity',
    to?.toISOString() ?? 'infinity',
  );
  const row = rows[0];
  return row?.min && row.max ? { min: Number(row.min), max: Number(row.max) } : undefined;
};

export interface TenantHeadRow {
  readonly tenantId: string;
  readonly head: StoredRecord | undefined;
  readonly lastCheckpointSeq: number | undefined;
  readonly retention: { readonly throughSeq: number; readonly anchorHash: Buffer } | undefined;
}

/** For each tenant: its last record, last checkpoint and last retention deletion (index lookups only). */
export const loadTenantHeads = async (sql: Sql, tenantIds: readonly string[]): Promise<TenantHeadRow[]> => {
  if (tenantIds.length === 0) return [];
  const rows = await sql.$queryRawUnsafe<
    (Partial<RecordRow> & { tenant: string; checkpoint_seq: string | null; retention_through: string | null; retention_anchor: string | null })[]
  >(
    `SELECT t.value AS tenant, h.*, c.seq::text AS checkpoint_seq, r.through_seq::text AS retention_through, encode(r.anchor_hash, 'hex') AS retention_anchor
     FROM jsonb_array_elements_text($1::jsonb) AS t
     LEFT JOIN LATERAL (SELECT ${RECORD_SELECT} FROM audit_event WHERE tenant_id = t.value ORDER BY audit_event.seq DESC LIMIT 1) h ON true
     LEFT JOIN LATERAL (SELECT seq FROM audit_checkpoint WHERE tenant_id = t.value ORDER BY audit_checkpoint.seq DESC LIMIT 1) c ON true
     LEFT JOIN LATERAL (SELECT through_seq, anchor_hash FROM audit_retention WHERE tenant_id = t.value ORDER BY audit_retention.through_seq DESC LIMIT 1) r ON true`,
    JSON.stringify(tenantIds),
  );
  return rows.map((r) => ({
    tenantId: r.tenant,
    head: r.seq ? toStoredRecord(r as RecordRow) : undefined,
    lastCheckpointSeq: r.checkpoint_seq ? Number(r.checkpoint_seq) : undefined,
    retention: r.retention_through && r.retention_anchor ? { throughSeq: Number(r.retention_through), anchorHash: Buffer.from(r.retention_anchor, 'hex') } : undefined,
  }));
};

/** Calls audit_apply_retention() (see the migration): deletes the range and records it, or raises. */
export const applyRetentionRange = async (sql: Sql, row: RetentionRow): Promise<number> => {
  const rows = await sql.$queryRawUnsafe<{ deleted: string }[]>(
    `SELECT audit_apply_retention($1, $2::bigint, $3::bigint, $4::timestamptz, $5::timestamptz, $6, decode($7, 'hex'))::text AS deleted`,
    row.tenantId,
    String(row.fromSeq),
    String(row.throughSeq),
    row.before.toISOString(),
    row.deletedAt.toISOString(),
    row.keyId,
    row.signature.toString('hex'),
  );
  return Number(rows[0]?.deleted ?? 0);
};

/** The smallest seq after afterSeq whose event is not older than `before` (walks the chain from afterSeq). */
export const firstNotOlderThan = async (sql: Sql, tenantId: string, afterSeq: number, before: Date): Promise<number | undefined> => {
  const rows = await sql.$queryRawUnsafe<{ seq: string }[]>(
    `SELECT seq::text AS seq FROM audit_event WHERE tenant_id = $1 AND seq > $2::bigint AND "time" >= $3::timestamptz ORDER BY audit_event.seq LIMIT 1`,
    tenantId,
    String(afterSeq),
    before.toISOString(),
  );
  return rows[0] ? Number(rows[0].seq) : undefined;
};

/**
 * Every tenant with audit records or checkpoints (a tenant whose events retention deleted keeps
 * its checkpoints). A skip scan over the primary keys: one index probe per tenant.
 */
export const auditTenants = async (sql: Sql): Promise<string[]> => {
  const rows = await sql.$queryRawUnsafe<{ id: string }[]>(
    `WITH RECURSIVE e AS (
       SELECT min(tenant_id) AS id FROM audit_event
       UNION ALL SELECT (SELECT min(tenant_id) FROM audit_event WHERE tenant_id > e.id) FROM e WHERE e.id IS NOT NULL
     ), c AS (
       SELECT min(tenant_id) AS id FROM audit_checkpoint
       UNION ALL SELECT (SELECT min(tenant_id) FROM audit_checkpoint WHERE tenant_id > c.id) FROM c WHERE c.id IS NOT NULL
     )
     SELECT id FROM e WHERE id IS NOT NULL UNION SELECT id FROM c WHERE id IS NOT NULL ORDER BY id`,
  );
  return rows.map((r) => r.id);
};
