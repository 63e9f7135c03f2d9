import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../test/siem-harness.js';
import { RotatingNdjsonFile } from './ndjson-file.js';

describe(RotatingNdjsonFile.name, () => {
  const dir = tempDir();
  afterAll(() => dir.remove());

  it('appends lines to one file and starts a new one when the next batch would pass the size limit or the file is too old', async () => {
    let now = new Date('2026-11-25T10:00:00.000Z');
    const sut = new RotatingNdjsonFile({ directory: join(dir.path, 'a', 'b'), rotateBytes: 100, rotateSeconds: 60, now: () => now });
    await sut.append(['{"seq":1}', '{"seq":2}'], 1); // 20 bytes
    await sut.append(['{"seq":3}'], 3); // 30
    const first = sut.path!;
    await sut.append(['x'.repeat(80)], 4); // would be 111: rotates
    const second = sut.path!;
    now = new Date('2026-11-25T10:01:00.000Z');
    await sut.append(['{"seq":5}'], 5); // a minute later: rotates by age
    await sut.close();
    expect(first).not.toBe(second);
    const files = readdirSync(join(dir.path, 'a', 'b')).sort();
    expect(files).toEqual(['audit-20261125T100000Z-000000000001.ndjson', 'audit-20261125T100000Z-000000000004.ndjson', 'audit-20261125T100100Z-000000000005.ndjson']);
    expect(readFileSync(join(dir.path, 'a', 'b', files[0]!), 'utf8')).toBe('{"seq":1}\n{"seq":2}\n{"seq":3}\n');
    expect(readFileSync(join(dir.path, 'a', 'b', files[2]!), 'utf8')).toBe('{"seq":5}\n');
  });

  it('writes a batch larger than the limit into a file of its own instead of refusing it', async () => {
    const sut = new RotatingNdjsonFile({ directory: join(dir.path, 'big'), rotateBytes: 10, rotateSeconds: 60 });
    await sut.append(['0123456789abcdef'], 1);
    await sut.append(['0123456789abcdef'], 2);
    await sut.close();
    expect(readdirSync(join(dir.path, 'big'))).toHaveLength(2);
  });
});
