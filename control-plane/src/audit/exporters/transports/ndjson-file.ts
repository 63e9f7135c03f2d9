import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { ExportError } from '../exporter-error.js';

export interface RotatingFileOptions {
  /** The folder the files go to; created when missing. */
  readonly directory: string;
  readonly rotateBytes: number;
  readonly rotateSeconds: number;
  readonly now?: () => Date;
}

const stamp = (date: Date) => date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}Z$/, 'Z');

/**
 * Newline-delimited JSON files with rotation: `audit-<UTC start>-<first seq>.ndjson`, a new file
 * when the current one would grow past `rotateBytes` or is older than `rotateSeconds` (checked at
 * each write). A batch counts as delivered once it is written and fsync'd; a crash before the
 * cursor is stored writes it again (at least once: the same seq twice, never a gap). Every process
 * start opens a new file, so a file is never appended to by two writers.
 */
export class RotatingNdjsonFile {
  private current: { handle: FileHandle; path: string; bytes: number; openedAt: number } | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: RotatingFileOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** The file being written, if any. */
  get path(): string | undefined {
    return this.current?.path;
  }

  async append(lines: readonly string[], firstSeq: number): Promise<void> {
    const text = lines.map((line) => `${line}\n`).join('');
    const bytes = Buffer.byteLength(text, 'utf8');
    try {
      const now = this.now();
      const cur = this.current;
      if (cur && (cur.bytes + bytes > this.options.rotateBytes || now.getTime() - cur.openedAt >= this.options.rotateSeconds * 1000) && cur.bytes > 0) await this.close();
      if (!this.current) {
        await mkdir(this.options.directory, { recursive: true });
        const path = join(this.options.directory, `audit-${stamp(now)}-${String(firstSeq).padStart(12, '0')}.ndjson`);
        this.current = { handle: await open(path, 'a', 0o640), path, bytes: 0, openedAt: now.getTime() };
      }
      const file = this.current;
      await file.handle.write(text);
      await file.handle.sync();
      file.bytes += bytes;
    } catch (error) {
      await this.close().catch(() => {});
      throw new ExportError('export.file', `writing the export file failed (${(error as { code?: string }).code ?? 'error'})`, true);
    }
  }

  async close(): Promise<void> {
    const file = this.current;
    this.current = undefined;
    await file?.handle.close();
  }
}
