import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { command, context, given, TENANT, tenantCreated } from '../test/given.js';

describe('tenant decider', () => {
  const create = command({ type: 'CreateTenant', data: { slug: 'acme', displayName: 'Acme', regions: ['eu-west-1', 'us-east-1'] } });

  it('creates a tenant on an empty stream', () => {
    const sut = decide(create, given(), context());
    expect(sut).toEqual({ streamId: `tenant-${TENANT}`, createdId: TENANT, events: [tenantCreated.event] });
  });

  it('is idempotent: creating the same tenant again emits nothing', () => {
    expect(decide(create, given(tenantCreated), context()).events).toEqual([]);
  });

  it('rejects a different tenant with a slug that is taken', () => {
    const other = command({ type: 'CreateTenant', data: { slug: 'acme', displayName: 'Someone else', regions: ['eu-west-1'] } });
    expect(() => decide(other, given(tenantCreated), context())).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'tenant.slug_taken' }));
  });

  it('renames, suspends and reactivates, each only when it changes something', () => {
    const model = given(tenantCreated);
    expect(decide(command({ type: 'RenameTenant', data: { tenantId: TENANT, displayName: 'Acme Corp' } }), model, context()).events).toEqual([
      { type: 'TenantRenamed', data: { displayName: 'Acme Corp' } },
    ]);
    expect(decide(command({ type: 'RenameTenant', data: { tenantId: TENANT, displayName: 'Acme' } }), model, context()).events).toEqual([]);
    expect(decide(command({ type: 'ReactivateTenant', data: { tenantId: TENANT } }), model, context()).events).toEqual([]);
    const suspended = given(tenantCreated, { streamId: tenantCreated.streamId, event: { type: 'TenantSuspended', data: { reason: 'unpaid' } } });
    expect(decide(command({ type: 'SuspendTenant', data: { tenantId: TENANT, reason: 'again' } }), suspended, context()).events).toEqual([]);
    expect(decide(command({ type: 'ReactivateTenant', data: { tenantId: TENANT } }), suspended, context()).events).toEqual([{ type: 'TenantReactivated', data: {} }]);
  });

  it('deletes with a retention date and refuses every later change', () => {
    const sut = decide(command({ type: 'DeleteTenant', data: { tenantId: TENANT, reason: 'contract ended', retentionDays: 365 } }), given(tenantCreated), context());
    expect(sut.events).toEqual([{ type: 'TenantDeleted', data: { reason: 'contract ended', retainUntil: '2027-11-25T10:00:00.000Z' } }]);
    const deleted = given(tenantCreated, { streamId: tenantCreated.streamId, event: sut.events[0]! });
    expect(() => decide(command({ type: 'RenameTenant', data: { tenantId: TENANT, displayName: 'x' } }), deleted, context())).toThrow(
      expect.objectContaining({ reason: 'tenant.deleted' }),
    );
    expect(() => decide(command({ type: 'RegisterUpstreamServer', data: { config: { name: 'gh', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url: 'https://x.example/sse' }] } } } }), deleted, context())).toThrow(
      expect.objectContaining({ code: 'CONFLICT', reason: 'tenant.deleted' }),
    );
  });

  it('refuses commands for a tenant that does not exist', () => {
    expect(() => decide(command({ type: 'SuspendTenant', data: { tenantId: TENANT, reason: 'x' } }), given(), context())).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', reason: 'tenant.not_found' }),
    );
  });
});
