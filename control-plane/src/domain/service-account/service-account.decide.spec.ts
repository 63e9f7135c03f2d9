import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { command, context, given, NOW, run, tenantCreated } from '../test/given.js';

describe('service account decider', () => {
  it('creates an account with the requested permissions when its creator holds them', () => {
    const sut = decide(command({ type: 'CreateServiceAccount', data: { name: 'terraform', permissions: ['server:read', 'server:manage'] } }), given(tenantCreated), context({ actorPermissions: new Set(['server:read', 'server:manage', 'key:read']) }));
    expect(sut.events).toEqual([
      { type: 'ServiceAccountCreated', data: { serviceAccountId: 'sa_0000000001', name: 'terraform', description: '', permissions: ['server:read', 'server:manage'], createdBy: expect.objectContaining({ subject: 'ada' }) } },
    ]);
  });

  it('refuses an account that would hold more than its creator', () => {
    expect(() =>
      decide(command({ type: 'CreateServiceAccount', data: { name: 'escalate', permissions: ['server:read', 'policy:manage'] } }), given(tenantCreated), context({ actorPermissions: new Set(['server:read']) })),
    ).toThrow(expect.objectContaining({ code: 'FORBIDDEN', reason: 'service_account.exceeds_creator', details: { permissions: ['policy:manage'] } }));
  });

  it('issues tokens that store only a hash, revokes them idempotently, and refuses past expiry dates', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const { createdId } = run(model, command({ type: 'CreateServiceAccount', data: { name: 'ci', permissions: ['server:read'] } }), ctx);
    const issued = run(model, command({ type: 'IssueApiToken', data: { serviceAccountId: createdId } }), ctx);
    expect(issued.events[0]).toMatchObject({ type: 'ApiTokenIssued', data: { tokenId: issued.createdId, secretHash: '1'.repeat(64) } });
    expect(() => decide(command({ type: 'IssueApiToken', data: { serviceAccountId: createdId, expiresAt: new Date(NOW.getTime() - 1).toISOString() } }), model, ctx)).toThrow(
      expect.objectContaining({ reason: 'api_token.expiry_in_past' }),
    );
    run(model, command({ type: 'RevokeApiToken', data: { serviceAccountId: createdId, tokenId: issued.createdId, reason: 'leaked' } }), ctx);
    expect(decide(command({ type: 'RevokeApiToken', data: { serviceAccountId: createdId, tokenId: issued.createdId, reason: 'again' } }), model, ctx).events).toEqual([]);
    run(model, command({ type: 'DeleteServiceAccount', data: { serviceAccountId: createdId } }), ctx);
    expect(() => decide(command({ type: 'IssueApiToken', data: { serviceAccountId: createdId } }), model, ctx)).toThrow(expect.objectContaining({ reason: 'service_account.deleted' }));
  });
});
