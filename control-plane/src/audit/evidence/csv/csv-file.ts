import { createHash } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { stringify } from 'csv-stringify/sync';

/** A CSV cell as written: strings, numbers, booleans, times (ISO 8601) or empty. */
export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * Auditors open CSVs in spreadsheets, which run a cell starting with = + - @ (or a tab or carriage
 * return) as a formula. Such a cell is prefixed with an apostrophe (OWASP "CSV injection"), so it
 * reads as text; the original value is the cell without the leading apostrophe.
 */
export const safeCell = (value: CsvValue): string => {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  if (typeof value === 'number') return text;
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
};

/** One CSV line (RFC 4180 quoting, CRLF line ends), cells made safe. */
export const csvLine = (cells: readonly CsvValue[]): string => stringify([cells.map(safeCell)], { record_delimiter: '\r\n', quoted_match: /^\s|\s$/ });

/** A finished CSV: where its bytes are (a spooled file or memory), their SHA-256 and size. */
export interface CsvOutput {
  readonly path?: string;
  readonly bytes?: Buffer;
  readonly sha256: string;
  readonly size: number;
}

/**
 * Writes a CSV as rows arrive (page by page from the database), hashing as it goes. With a `spool`
 * path the rows go to that file, so a period's tool calls are never held in memory; without one
 * they are kept in memory (small files). `count` is the data rows written.
 */
export class CsvWriter {
  private readonly chunks: Buffer[] = [];
  private readonly hash = createHash('sha256');
  private readonly out: WriteStream | undefined;
  private failure: Error | undefined;
  private size = 0;
  count = 0;

  constructor(
    readonly header: readonly string[],
    private readonly spool?: string,
  ) {
    if (spool) {
      this.out = createWriteStream(spool, { flags: 'wx', mode: 0o600 });
      this.out.on('error', (error) => (this.failure = error));
    }
    this.write(Buffer.from(csvLine(header), 'utf8'));
  }

  row(cells: readonly CsvValue[]): void {
    if (cells.length !== this.header.length) throw new Error(`a row has ${cells.length} cells, the header ${this.header.length}`);
    this.write(Buffer.from(csvLine(cells), 'utf8'));
    this.count += 1;
  }

  /** Waits until the spool file has taken what was written (call between pages: backpressure). */
  async flush(): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out?.writableNeedDrain) await once(this.out, 'drain');
  }

  /** The bytes of an in-memory CSV. */
  bytes(): Buffer {
    if (this.out) throw new Error('a spooled CSV is read from its file');
    return Buffer.concat(this.chunks);
  }

  async finish(): Promise<CsvOutput> {
    const sha256 = this.hash.digest('hex');
    if (!this.out) return { bytes: Buffer.concat(this.chunks), sha256, size: this.size };
    await new Promise<void>((resolve, reject) => this.out!.end((error?: Error | null) => (error ? reject(error) : resolve())));
    if (this.failure) throw this.failure;
    return { path: this.spool!, sha256, size: this.size };
  }

  private write(bytes: Buffer): void {
    this.hash.update(bytes);
    this.size += bytes.length;
    if (this.out) this.out.write(bytes);
    else this.chunks.push(bytes);
  }
}
