import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import type { NewEvent } from '../events.js';
import { checkInvariants, MAX_IDENTITY_PROVIDERS } from '../invariants.js';
import { command, context, given, run, TENANT, tenantCreated } from '../test/given.js';

const AUDIENCE = 'https://mcp.acme.example/t/acme/mcp/dev';
const okta = { identityProviderId: 'okta', issuer: 'https://acme.okta.com/oauth2/default', jwksUri: 'https://acme.okta.com/oauth2/default/v1/keys', audiences: [AUDIENCE] };
const register = (data: Record<string, unknown> = {}) => command({ type: 'RegisterIdentityProvider', data: { ...okta, ...data } });
const update = (data: Record<string, unknown>) => command({ type: 'UpdateIdentityProvider', data: { identityProviderId: 'okta', ...data } });
const remove = (identityProviderId = 'okta') => command({ type: 'RemoveIdentityProvider', data: { identityProviderId } });
const registered = (data: Record<string, unknown> = {}): { streamId: string; event: NewEvent } => ({
  streamId: 'identity-provider-okta',
  event: { type: 'IdentityProviderRegistered', data: { ...okta, groupsClaim: 'groups', ...data } } as NewEvent,
});

describe('identity provider decider', () => {
  it('registers an identity provider on the stream named by its id, with the default groups claim', () => {
    const sut = decide(register(), given(tenantCreated), context());
    expect(sut).toEqual({ streamId: 'identity-provider-okta', createdId: 'okta', events: [{ type: 'IdentityProviderRegistered', data: { ...okta, groupsClaim: 'groups' } }] });
  });

  it('is idempotent: registering the same configuration again emits nothing, a different one under the same id is refused', () => {
    const model = given(tenantCreated, registered());
    expect(decide(register({ audiences: [AUDIENCE] }), model, context())).toEqual({ streamId: 'identity-provider-okta', createdId: 'okta', events: [] });
    expect(() => decide(register({ groupsClaim: 'roles' }), model, context())).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'identity_provider.id_taken' }));
  });

  it('refuses a second identity provider with an issuer the tenant already trusts', () => {
    const model = given(tenantCreated, registered());
    expect(() => decide(register({ identityProviderId: 'okta-2' }), model, context())).toThrow(
      expect.objectContaining({ code: 'CONFLICT', reason: 'identity_provider.issuer_taken', details: { id: 'okta', issuer: okta.issuer } }),
    );
  });

  it("refuses audiences that are another tenant's resources", () => {
    const foreign = 'https://mcp.acme.example/t/globex/mcp/dev';
    expect(() => decide(register({ audiences: [AUDIENCE, foreign] }), given(tenantCreated), context())).toThrow(
      expect.objectContaining({ code: 'VALIDATION', reason: 'identity_provider.audience_other_tenant', details: { audiences: [foreign] } }),
    );
  });

  it('rejects a malformed configuration at the command boundary', () => {
    expect(() => register({ issuer: 'http://idp.example' })).toThrow();
    expect(() => register({ audiences: [] })).toThrow();
    expect(() => register({ identityProviderId: 'Okta' })).toThrow();
  });

  it('updates only the fields it names, and emits nothing when nothing changes', () => {
    const model = given(tenantCreated, registered());
    const second = `${AUDIENCE}-eu`;
    expect(decide(update({ audiences: [AUDIENCE, second] }), model, context()).events).toEqual([
      { type: 'IdentityProviderReconfigured', data: { issuer: okta.issuer, jwksUri: okta.jwksUri, audiences: [AUDIENCE, second], groupsClaim: 'groups' } },
    ]);
    expect(decide(update({ groupsClaim: 'groups', audiences: [AUDIENCE] }), model, context()).events).toEqual([]);
  });

  it('refuses to update an identity provider that does not exist or was removed, or onto an issuer another one has', () => {
    expect(() => decide(update({ groupsClaim: 'roles' }), given(tenantCreated), context())).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', reason: 'identity_provider.not_found' }),
    );
    const removed = given(tenantCreated, registered(), { streamId: 'identity-provider-okta', event: { type: 'IdentityProviderRemoved', data: {} } });
    expect(() => decide(update({ groupsClaim: 'roles' }), removed, context())).toThrow(expect.objectContaining({ reason: 'identity_provider.not_found' }));
    const two = given(tenantCreated, registered(), { streamId: 'identity-provider-entra', event: { type: 'IdentityProviderRegistered', data: { ...okta, identityProviderId: 'entra', issuer: 'https://login.example/v2.0', groupsClaim: 'roles' } } });
    expect(() => decide(update({ issuer: 'https://login.example/v2.0' }), two, context())).toThrow(expect.objectContaining({ reason: 'identity_provider.issuer_taken' }));
  });

  it('removes once, repeats as a no-op, refuses an unknown id, and lets the id be registered again on the same stream', () => {
    const model = given(tenantCreated);
    const ctx = context();
    run(model, register(), ctx);
    expect(run(model, remove(), ctx).events).toEqual([{ type: 'IdentityProviderRemoved', data: {} }]);
    expect(decide(remove(), model, ctx).events).toEqual([]);
    expect(() => decide(remove('ping'), model, ctx)).toThrow(expect.objectContaining({ code: 'NOT_FOUND', reason: 'identity_provider.not_found' }));
    const again = run(model, register({ issuer: 'https://acme-new.okta.com' }), ctx);
    expect(again).toMatchObject({ streamId: 'identity-provider-okta', events: [{ type: 'IdentityProviderRegistered' }] });
    expect(model.versionOf('identity-provider-okta')).toBe(3);
    expect(model.identityProviders.get('okta')).toMatchObject({ status: 'active', issuer: 'https://acme-new.okta.com' });
  });

  it(`trusts at most ${MAX_IDENTITY_PROVIDERS} identity providers at once`, () => {
    const model = given(tenantCreated);
    const ctx = context();
    for (let i = 0; i < MAX_IDENTITY_PROVIDERS; i++) run(model, register({ identityProviderId: `idp-${i}`, issuer: `https://idp-${i}.example` }), ctx);
    const oneMore = register({ identityProviderId: 'one-more', issuer: 'https://one-more.example' });
    expect(() => decide(oneMore, model, ctx)).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'identity_provider.limit_reached' }));
    run(model, remove('idp-0'), ctx);
    expect(decide(oneMore, model, ctx).events).toHaveLength(1);
  });

  it('changes nothing on a deleted tenant, and needs the tenant to exist', () => {
    const deleted = given(tenantCreated, registered(), { streamId: tenantCreated.streamId, event: { type: 'TenantDeleted', data: { reason: 'gone', retainUntil: '2030-01-01T00:00:00.000Z' } } });
    for (const c of [register({ identityProviderId: 'other', issuer: 'https://other.example' }), update({ groupsClaim: 'roles' }), remove()]) {
      expect(() => decide(c, deleted, context())).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'tenant.deleted' }));
    }
    expect(() => decide(register(), given(), context())).toThrow(expect.objectContaining({ code: 'NOT_FOUND', reason: 'tenant.not_found' }));
  });

  it('voids the loser of a race for one issuer when the log applies it, as every replica does', () => {
    // two admins decided on the same state: both registrations were valid then
    const model = given(tenantCreated);
    const first = decide(register(), model, context());
    const second = decide(register({ identityProviderId: 'okta-copy' }), model, context());
    run(model, register(), context());
    expect(first.events).toHaveLength(1);
    expect(checkInvariants(model, second.streamId, second.events)).toMatchObject({ code: 'CONFLICT', reason: 'identity_provider.issuer_taken' });
    expect(model.tenantId).toBe(TENANT);
  });
});
