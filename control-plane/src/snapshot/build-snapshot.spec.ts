import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../domain/events.js';
import { given } from '../domain/test/given.js';
import type { SealedSecret, VaultCiphertext } from '@mcpgate/contracts';
import { buildSnapshot } from './build-snapshot.js';
import { canonicalJson } from './canonical-json.js';

const testdata = fileURLToPath(new URL('./testdata', import.meta.url));
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Deterministic stand-in for sealing: real sealing is random and tested in infra/crypto. */
const seal = (credentialId: string, secret: VaultCiphertext, region: string): SealedSecret => ({
  credentialId,
  regionKeyId: `${region}/test`,
  wrappedDataKey: Buffer.from(`${secret.vaultKeyId}>${region}`).toString('base64'),
  iv: 'AAAA',
  ciphertext: secret.ciphertext,
  authTag: secret.authTag,
});

interface GoldenInput {
  logPosition: string;
  builtAt: string;
  events: { streamId: string; event: NewEvent }[];
}

const build = (input: GoldenInput, builtAt = input.builtAt) =>
  buildSnapshot({ tenant: given(...input.events), logPosition: input.logPosition, builtAt: new Date(builtAt), seal });

describe(buildSnapshot.name, () => {
  const cases = readdirSync(testdata).filter((f) => f.endsWith('.in.json'));

  it.each(cases)('matches the golden snapshot for %s (UPDATE_GOLDEN=1 rewrites it)', (file) => {
    const input = JSON.parse(readFileSync(join(testdata, file), 'utf8')) as GoldenInput;
    const actual = `${JSON.stringify(build(input), null, 2)}\n`;
    const goldenPath = join(testdata, file.replace('.in.json', '.out.json'));
    if (update) writeFileSync(goldenPath, actual);
    expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
  });

  it('leaves out removed servers and revoked keys, keeps the old key hash only during its grace period', () => {
    const input = JSON.parse(readFileSync(join(testdata, 'full-tenant.in.json'), 'utf8')) as GoldenInput;
    const sut = build(input);
    expect(sut.upstreams.map((u) => u.config.name)).toEqual(['github', 'jira']);
    expect(sut.keys.map((k) => k.id)).toEqual(['vk_0000000001']);
    expect(sut.keys[0]?.secretHashes).toEqual(['2'.repeat(64), '1'.repeat(64)]);
    expect(build(input, '2026-11-25T14:00:00.000Z').keys[0]?.secretHashes).toEqual(['2'.repeat(64)]);
    expect(sut.roleBindings).toContainEqual({ subject: { kind: 'group', idpId: 'okta', group: 'platform' }, role: 'key-manager' });
    expect(sut.secrets.map((s) => s.regionKeyId)).toEqual(['eu-west-1/test', 'us-east-1/test']);
  });

  it('gives the same content hash for the same state whatever the build time or the sealing', () => {
    const input = JSON.parse(readFileSync(join(testdata, 'full-tenant.in.json'), 'utf8')) as GoldenInput;
    const a = build(input);
    const b = buildSnapshot({ tenant: given(...input.events), logPosition: input.logPosition, builtAt: new Date('2026-11-25T12:30:00.000Z'), seal: (id, s, r) => ({ ...seal(id, s, r), iv: 'BBBB' }) });
    expect(b.version.contentHash).toBe(a.version.contentHash);
    const changed = build({ ...input, events: [...input.events, { streamId: 'virtual-key-vk_0000000001', event: { type: 'VirtualKeyRevoked', data: { reason: 'x' } } }] });
    expect(changed.version.contentHash).not.toBe(a.version.contentHash);
  });

  it('never puts a vaulted secret in a snapshot except sealed for a region', () => {
    const input = JSON.parse(readFileSync(join(testdata, 'full-tenant.in.json'), 'utf8')) as GoldenInput;
    const text = canonicalJson({ ...build(input), secrets: [] });
    expect(text).not.toContain('vault-1');
  });
});
