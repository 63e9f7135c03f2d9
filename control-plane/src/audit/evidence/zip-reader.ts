import { inflateRawSync } from 'node:zlib';

/** A zip archive that cannot be read: truncated, not a zip, or using features packs never use. */
export class ZipReadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipReadError';
  }
}

export interface ZipEntry {
  readonly path: string;
  readonly bytes: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/**
 * Reads every file of a zip archive from its central directory (stored or deflated entries, no
 * zip64, no encryption: what `pack-archive.ts` writes). Used to verify a pack without unpacking
 * it to disk, so a path in a hostile archive can never escape a directory.
 */
export const readZip = (zip: Buffer): ZipEntry[] => {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipReadError('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let n = 0; n < count; n++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL) throw new ZipReadError('the central directory is damaged');
    const flags = zip.readUInt16LE(at + 8);
    const method = zip.readUInt16LE(at + 10);
    const compressedSize = zip.readUInt32LE(at + 20);
    const size = zip.readUInt32LE(at + 24);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const path = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    at += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw new ZipReadError(`${path} is encrypted`);
    if (compressedSize === 0xffffffff || localAt === 0xffffffff) throw new ZipReadError(`${path} needs zip64, which packs do not use`);
    if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== LOCAL) throw new ZipReadError(`${path}: local header missing`);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + compressedSize);
    if (raw.length !== compressedSize) throw new ZipReadError(`${path} is truncated`);
    let bytes: Buffer;
    if (method === 0) bytes = Buffer.from(raw);
    else if (method === 8) {
      try {
        bytes = inflateRawSync(raw);
      } catch {
        throw new ZipReadError(`${path} does not decompress`);
      }
    } else throw new ZipReadError(`${path} uses compression method ${method}`);
    if (bytes.length !== size) throw new ZipReadError(`${path} has ${bytes.length} bytes, its header says ${size}`);
    if (!path.endsWith('/')) entries.push({ path, bytes });
  }
  return entries;
};
