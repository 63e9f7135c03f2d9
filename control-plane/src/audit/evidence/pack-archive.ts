import { ZipArchive } from 'archiver';
import { createReadStream } from 'node:fs';
import { PassThrough } from 'node:stream';

/** A file of the pack: its bytes, or a spooled file on disk to stream from. */
export type PackFile = { readonly path: string; readonly bytes: Buffer } | { readonly path: string; readonly file: string };

/** A fixed time for every entry, so the same files always make the same archive bytes. */
const ENTRY_DATE = new Date('2000-01-01T00:00:00Z');

/** Zips the files (deflate, in the given order) into one buffer. */
export const zipPack = async (files: readonly PackFile[]): Promise<Buffer> => {
  const archive = new ZipArchive({ zlib: { level: 9 }, forceZip64: false });
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    sink.on('end', resolve);
    sink.on('error', reject);
    archive.on('error', reject);
    archive.on('warning', reject);
  });
  archive.pipe(sink);
  for (const f of files) archive.append('bytes' in f ? f.bytes : createReadStream(f.file), { name: f.path, date: ENTRY_DATE });
  await archive.finalize();
  await done;
  return Buffer.concat(chunks);
};
