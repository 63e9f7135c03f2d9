import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ChangeBatch } from './batch.js';
import { bulkInsertStatement, bulkUpdateStatements, jsonTextOf, TABLES, type BulkTable, type ColumnType } from './bulk-insert.js';
import type { LogCheckpoint } from '../event-log/event-log.port.js';
import { isoTimeText } from '../core/iso-time.js';

/** Writes one folded batch of read-model changes together with the projection's checkpoints, atomically. */
export interface ReadModelWriter {
  write(batch: ChangeBatch, checkpoint: LogCheckpoint, projection: string): Promise<void>;
  close(): Promise<void>;
}

type Row = Readonly<Record<string, unknown>>;

const chunks = <T>(items: readonly T[], size = 5_000) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
/** Rows per piece of a COPY stream: PostgreSQL parses one piece while the next is encoded. */
const COPY_PIECE_ROWS = 1_000;

export const checkpointUpsert = (checkpoint: LogCheckpoint, projection: string): { sql: string; values: unknown[] } => {
  const values: unknown[] = [];
  const tuples = [...checkpoint].map(([partition, nextOffset]) => {
    values.push(projection, partition, nextOffset.toString());
    const n = values.length;
    return `($${n - 2}, $${n - 1}, $${n}::bigint, now())`;
  });
  return {
    sql: `INSERT INTO "projection_checkpoint" ("projection", "partition", "next_offset", "updated_at") VALUES ${tuples.join(', ')} ON CONFLICT ("projection", "partition") DO UPDATE SET "next_offset" = excluded."next_offset", "updated_at" = excluded."updated_at"`,
    values,
  };
};

/**
 * The writer for live projection, on PostgreSQL and embedded PGlite alike: inserts as
 * `jsonb_to_recordset` statements that skip existing ids and version-guarded bulk updates, so two
 * projectors on one database, or one that re-projects after a crash, change nothing twice.
 */
export class SharedReadModelWriter implements ReadModelWriter {
  constructor(private readonly prisma: PrismaClient) {}

  async write(batch: ChangeBatch, checkpoint: LogCheckpoint, projection: string): Promise<void> {
    await this.prisma.$transaction(
      async (tx) => {
        // inserts first: a row may be updated later in the log, never before it exists
        for (const [table, rows] of batch.creates) {
          for (const data of chunks([...rows.values()])) {
            const { sql, parameter } = bulkInsertStatement(table, data);
            await tx.$executeRawUnsafe(sql, parameter);
          }
        }
        for (const [table, updates] of batch.updates) {
          for (const { sql, parameter } of bulkUpdateStatements(table, updates)) await tx.$executeRawUnsafe(sql, parameter);
        }
        for (const data of chunks(batch.activity)) {
          const { sql, parameter } = bulkInsertStatement('adminActivity', data);
          await tx.$executeRawUnsafe(sql, parameter);
        }
        if (checkpoint.size > 0) {
          const { sql, values } = checkpointUpsert(checkpoint, projection);
          await tx.$executeRawUnsafe(sql, ...values);
        }
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
  }

  async close(): Promise<void> {}
}

const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
const NEEDS_ESCAPE = /[\\\t\n\r]/;
/** A value in COPY's text format: backslash, tab, newline and carriage return escaped. */
const copyText = (text: string) => (NEEDS_ESCAPE.test(text) ? text.replace(/[\\\t\n\r]/g, (c) => COPY_ESCAPES[c]!) : text);
const arrayElement = (item: unknown) => (item === null || item === undefined ? 'NULL' : `"${String(item).replace(/[\\"]/g, '\\$&')}"`);

const jsonCell = (value: unknown) => copyText(jsonTextOf(value));

const ENCODE: Record<ColumnType, (value: unknown) => string> = {
  text: (v) => copyText(String(v)),
  uuid: (v) => copyText(String(v)),
  'text[]': (v) => copyText(`{${(v as readonly unknown[]).map(arrayElement).join(',')}}`),
  jsonb: jsonCell,
  json: jsonCell,
  int: (v) => String(v),
  bigint: (v) => String(v),
  boolean: (v) => (v ? 't' : 'f'),
  'timestamp(3)': (v) => (v instanceof Date ? v.toISOString() : isoTimeText(v as string)),
};

/** Rows as lines of COPY's text format, in the column order of `TABLES[table]`. */
export const copyLines = (table: BulkTable, rows: readonly Row[]): string => {
  const columns = TABLES[table].columns.map(([field, , type]) => [field, ENCODE[type]] as const);
  let out = '';
  for (const row of rows) {
    let line = '';
    for (let i = 0; i < columns.length; i++) {
      const [field, encode] = columns[i]!;
      const value = row[field];
      line += (i === 0 ? '' : '\t') + (value === null || value === undefined ? '\\N' : encode(value));
    }
    out += `${line}\n`;
  }
  return out;
};

/**
 * The writer for a rebuild from scratch on a PostgreSQL server (`replayReadModels`): rows stream in
 * with `COPY … FROM STDIN`, several times faster than statements, over one connection of its own.
 * COPY cannot skip existing ids, so this writer needs the tables to itself: empty at the start, and
 * no other projector writing meanwhile, which a replay guarantees (it truncates them first).
 * Updates and checkpoints are statements, in the same transaction as the rows.
 */
export class CopyReadModelWriter implements ReadModelWriter {
  /** Set when the connection failed between queries; every later write fails with it. */
  private broken: Error | undefined;

  private constructor(
    private readonly client: pg.Client,
    private readonly writesCheckpoints: boolean,
  ) {
    // without a listener a dropped connection would be an uncaught 'error' event
    client.on('error', (error) => {
      this.broken = error;
    });
  }

  /**
   * @param checkpoints `false` for a writer that loads only a share of the log (one thread of a
   *   parallel replay): the checkpoints are then written once, by whoever read the whole log
   */
  static async connect(connectionString: string, { checkpoints = true }: { checkpoints?: boolean } = {}): Promise<CopyReadModelWriter> {
    const client = new pg.Client({ connectionString });
    await client.connect();
    return new CopyReadModelWriter(client, checkpoints);
  }

  async write(batch: ChangeBatch, checkpoint: LogCheckpoint, projection: string): Promise<void> {
    if (this.broken) throw this.broken;
    await this.client.query('BEGIN');
    try {
      for (const [table, rows] of batch.creates) await this.copy(table, [...rows.values()]);
      for (const [table, updates] of batch.updates) {
        for (const { sql, parameter } of bulkUpdateStatements(table, updates)) await this.client.query(sql, [parameter]);
      }
      await this.copy('adminActivity', batch.activity);
      if (this.writesCheckpoints && checkpoint.size > 0) {
        const { sql, values } = checkpointUpsert(checkpoint, projection);
        await this.client.query(sql, values);
      }
      await this.client.query('COMMIT');
    } catch (error) {
      await this.client.query('ROLLBACK').catch(() => {});
      throw error;
    }
  }

  private async copy(table: BulkTable, rows: readonly Row[]): Promise<void> {
    if (rows.length === 0) return;
    const spec = TABLES[table];
    const columns = spec.columns.map(([, column]) => `"${column}"`).join(', ');
    const sink = this.client.query(copyFrom(`COPY "${spec.table}" (${columns}) FROM STDIN`));
    const lines = function* () {
      for (const piece of chunks(rows, COPY_PIECE_ROWS)) yield copyLines(table, piece);
    };
    await pipeline(Readable.from(lines()), sink);
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
