import { describe, expect, it } from 'vitest';
import { evidenceCommand, progressPrinter } from './evidence.js';

describe(progressPrinter.name, () => {
  const feed = (tty: boolean) => {
    let text = '';
    const sut = progressPrinter((t) => (text += t), tty);
    for (const [phase, done, total, percent] of [
      ['state', 0, 1, 0],
      ['state', 1, 1, 2],
      ['tool-calls', 0, 2000, 2],
      ['tool-calls', 1000, 2000, 16],
      ['tool-calls', 2000, 2000, 30],
      ['archive', 1, 1, 100],
    ] as const)
      sut.update({ phase, done, total, percent });
    sut.end();
    return text;
  };

  it('prints one line per phase start and end with counts when stderr is not a terminal', () => {
    expect(feed(false)).toBe('state: started\nstate: 1/1 (2%)\ntool-calls: started\ntool-calls: 2,000/2,000 (30%)\narchive: started\narchive: 1/1 (100%)\n');
  });

  it('rewrites one line in place on a terminal and clears it at the end', () => {
    const text = feed(true);
    expect(text).toContain('\r\x1b[Ktool-calls: 1,000/2,000 (16%)');
    expect(text.endsWith('\r\x1b[K')).toBe(true);
    expect(text).not.toContain('\n');
  });
});

describe(evidenceCommand.name, () => {
  const run = async (...args: string[]) => {
    const out: string[] = [];
    let err = '';
    const status = await evidenceCommand(args, {}, { out: (l) => out.push(l), err: (t) => (err += t) }, false);
    return { status, out, err };
  };

  it('answers usage errors with status 2 before touching any configuration', async () => {
    expect(await run()).toMatchObject({ status: 2, err: expect.stringContaining('name a command') });
    expect(await run('generate', '--tenant', 't')).toMatchObject({ status: 2, err: expect.stringContaining('--framework is required') });
    expect(await run('generate', '--tenant', 't', '--framework', 'soc2', '--from', 'yesterday', '--to', '2026-01-01', '--out', 'x.zip')).toMatchObject({
      status: 2,
      err: expect.stringContaining('--from is not a time'),
    });
    expect(await run('generate', '--tenant', 't', '--framework', 'soc2', '--from', '2026-02-01', '--to', '2026-01-01', '--out', 'x.zip')).toMatchObject({
      status: 2,
      err: expect.stringContaining('`from` must be before `to`'),
    });
    expect(await run('verify')).toMatchObject({ status: 2, err: expect.stringContaining('name one pack file') });
    expect(await run('verify', '--bogus', 'x.zip')).toMatchObject({ status: 2 });
  });

  it('says a pack that cannot be read is invalid, naming the archive', async () => {
    expect(await run('verify', '/dev/null')).toMatchObject({ status: 1, out: [expect.stringMatching(/^invalid: \(archive\): unreadable/)] });
  });
});
