import { describe, expect, it } from 'vitest';
import pinned from '../testdata/events.v1.json' with { type: 'json' };
import { AGGREGATE_OF_EVENT, parseControlEvent } from './catalogue.js';

const stored = (type: string, data: unknown) => ({ type, data, metadata: pinned.metadata });

describe(parseControlEvent.name, () => {
  it('has a pinned v1 example for every published event type', () => {
    expect(Object.keys(pinned.events).sort()).toEqual(Object.keys(AGGREGATE_OF_EVENT).sort());
  });

  it.each(Object.entries(pinned.events))('still parses the pinned v1 shape of %s', (type, data) => {
    const sut = parseControlEvent(stored(type, data));
    expect(sut).toMatchObject({ ok: true, event: { type } });
  });

  it('fills documented defaults when an older writer left them out', () => {
    const sut = parseControlEvent(stored('UpstreamServerReconfigured', pinned.events.UpstreamServerReconfigured));
    if (!sut.ok || sut.event.type !== 'UpstreamServerReconfigured') throw new Error('expected a parsed event');
    expect(sut.event.data.config.timeouts).toEqual({ connectMs: 5000, callMs: 60000 });
    expect(sut.event.data.config.tags).toEqual([]);
  });

  it('reads a pinned IdentityProviderReconfigured without groupsClaim with the default claim', () => {
    const sut = parseControlEvent(stored('IdentityProviderReconfigured', pinned.events.IdentityProviderReconfigured));
    expect(sut).toMatchObject({ ok: true, event: { data: { groupsClaim: 'groups' } } });
  });

  it('quarantines an unknown type instead of throwing', () => {
    expect(parseControlEvent(stored('TenantTeleported', {}))).toMatchObject({ ok: false, reason: 'unknown-type', type: 'TenantTeleported' });
    expect(parseControlEvent('not an event')).toMatchObject({ ok: false, reason: 'unknown-type', type: undefined });
    expect(parseControlEvent(null)).toMatchObject({ ok: false, reason: 'unknown-type' });
  });

  it('quarantines a known type with invalid data and says which field is wrong', () => {
    const sut = parseControlEvent(stored('TenantCreated', { ...pinned.events.TenantCreated, slug: 'Not A Slug' }));
    expect(sut).toMatchObject({ ok: false, reason: 'invalid', type: 'TenantCreated' });
    expect(sut.ok ? [] : sut.issues.join('\n')).toMatch(/data\.slug/);
  });

  it('rejects an event whose metadata is broken', () => {
    const sut = parseControlEvent({ ...stored('TenantRenamed', { displayName: 'x' }), metadata: { ...pinned.metadata, streamVersion: 0 } });
    expect(sut).toMatchObject({ ok: false, reason: 'invalid' });
  });

  it('never stores a key secret: VirtualKeyIssued has a hash and a short prefix only', () => {
    const withSecret = { ...pinned.events.VirtualKeyIssued, secret: 'mcpg_Ab3dEf9hTHE_REST_OF_THE_SECRET' };
    const sut = parseControlEvent(stored('VirtualKeyIssued', withSecret));
    expect(sut.ok && JSON.stringify(sut.event)).not.toContain('THE_REST_OF_THE_SECRET');
  });
});
