import { describe, expect, it } from 'vitest';
import { SessionSealer, type SessionState } from './session-token.js';

const state: Omit<SessionState, 'v' | 'iat' | 'exp'> = {
  id: SessionSealer.newId(),
  tenantId: 'ten_abcdefghij',
  virtualServerId: 'vsr_abcdefghij',
  principal: 'key:vk_abcdefghij',
  protocolVersion: '2025-11-25',
  clientCapabilities: {},
  upstreams: [{ s: 'srv_abcdefghij', e: 'ep-1', sid: 'upstream-1', pv: '2025-11-25', cap: 't' }],
  home: 'replica-a',
};

const setup = () => {
  const clock = { ms: Date.UTC(2026, 10, 27) };
  const sealer = new SessionSealer([{ keyId: 'region-key-2', secret: 'b'.repeat(32) }, { keyId: 'region-key-1', secret: 'a'.repeat(32) }], () => clock.ms);
  return { sealer, clock };
};

describe(SessionSealer.name, () => {
  it('opens what it sealed, again and again (from its cache after the first time), until it expires', () => {
    const { sealer, clock } = setup();
    const { token, state: sealed } = sealer.seal(state, 60);
    expect(sealer.open(token)).toEqual({ ok: true, state: sealed });
    expect(sealer.open(token)).toEqual({ ok: true, state: sealed });
    clock.ms += 60_000;
    expect(sealer.open(token)).toEqual({ ok: false, reason: 'expired' });
    // the cached entry is gone; decrypting it again finds it expired too
    expect(sealer.open(token)).toEqual({ ok: false, reason: 'expired' });
  });

  it('opens a token sealed by another replica with the same region keys, and refuses a changed one', () => {
    const { sealer } = setup();
    const { token } = setup().sealer.seal(state, 60);
    expect(sealer.open(token).ok).toBe(true);
    const body = token.split('.')[2]!;
    const flipped = `${body.slice(0, 20)}${body[20] === 'A' ? 'B' : 'A'}${body.slice(21)}`;
    expect(sealer.open(token.replace(body, flipped))).toEqual({ ok: false, reason: 'forged' });
  });

  it('tells a malformed token and one sealed with a key it does not hold apart', () => {
    const { sealer } = setup();
    const other = new SessionSealer([{ keyId: 'another-region', secret: 'c'.repeat(32) }]);
    expect(sealer.open(other.seal(state, 60).token)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(sealer.open('not-a-token')).toEqual({ ok: false, reason: 'malformed' });
    expect(sealer.open(`mcpg1.${'x'.repeat(8)}.!!`)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('keeps at most 10,000 opened tokens, and still opens one it has forgotten', () => {
    const { sealer } = setup();
    const first = sealer.seal(state, 3_600).token;
    expect(sealer.open(first).ok).toBe(true);
    for (let i = 0; i < 10_001; i++) expect(sealer.open(sealer.seal({ ...state, id: SessionSealer.newId() }, 3_600).token).ok).toBe(true);
    expect((sealer as unknown as { opened: { size: number } }).opened.size).toBe(10_000);
    expect(sealer.open(first).ok).toBe(true);
  });
});
