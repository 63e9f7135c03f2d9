import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import type { NewEvent } from '../events.js';
import { checkInvariants, MAX_AUDIT_EXPORTERS } from '../invariants.js';
import { command, context, given, run, tenantCreated } from '../test/given.js';

const sealed = { vaultKeyId: 'v1', wrappedDataKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' };
const credential = (credentialId: string, name: string, kind: 'shared' | 'per-user' = 'shared'): { streamId: string; event: NewEvent } => ({
  streamId: `credential-${credentialId}`,
  event: { type: 'CredentialStored', data: { credentialId, name, kind, description: '', ...(kind === 'shared' ? { secret: sealed } : {}) } } as NewEvent,
});
const HEC_TOKEN = 'cred_hectoken001';
const HMAC_KEY = 'cred_hmackey0001';
const splunk = { kind: 'splunk-hec', url: 'https://splunk.acme.example:8088', tokenCredentialId: HEC_TOKEN };
const create = (data: Record<string, unknown> = {}) => command({ type: 'CreateAuditExporter', data: { name: 'splunk', destination: splunk, ...data } });
const update = (exporterId: string, data: Record<string, unknown>) => command({ type: 'UpdateAuditExporter', data: { exporterId, ...data } });
const base = () => given(tenantCreated, credential(HEC_TOKEN, 'hec-token'), credential(HMAC_KEY, 'hmac-key'));
const EXP1 = 'exp_0000000001';

describe('audit exporter decider', () => {
  it('creates an exporter with defaults on a stream named by a new id; the secret is only a credential reference', () => {
    const sut = decide(create(), base(), context());
    expect(sut).toEqual({
      streamId: `audit-exporter-${EXP1}`,
      createdId: EXP1,
      events: [
        {
          type: 'AuditExporterCreated',
          data: {
            exporterId: EXP1,
            name: 'splunk',
            destination: { ...splunk, sourcetype: 'mcpgate:audit', source: 'mcpgate' },
            delivery: { batchSize: 100, maxAttempts: 8 },
            startFrom: 'earliest',
            enabled: true,
          },
        },
      ],
    });
  });

  it('is idempotent by name: the same configuration again emits nothing, another one under the name is refused', () => {
    const model = base();
    run(model, create());
    expect(decide(create(), model, context())).toEqual({ streamId: `audit-exporter-${EXP1}`, createdId: EXP1, events: [] });
    expect(() => decide(create({ delivery: { batchSize: 5 } }), model, context())).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'audit_exporter.name_taken' }));
  });

  it('refuses a destination whose credential does not exist, is deleted or is per-user', () => {
    expect(() => decide(create({ destination: { ...splunk, tokenCredentialId: 'cred_nonexistent' } }), base(), context())).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', reason: 'credential.not_found' }),
    );
    const perUser = given(tenantCreated, credential('cred_peruser0001', 'per-user', 'per-user'));
    expect(() => decide(create({ destination: { ...splunk, tokenCredentialId: 'cred_peruser0001' } }), perUser, context())).toThrow(
      expect.objectContaining({ code: 'VALIDATION', reason: 'audit_exporter.credential_not_shared' }),
    );
  });

  it('rejects malformed configurations at the command boundary', () => {
    expect(() => create({ destination: { ...splunk, url: 'http://splunk.example:8088' } })).toThrow(/https/);
    expect(() => create({ destination: { ...splunk, url: 'https://admin:pw@splunk.example' } })).toThrow(/user info/);
    expect(() => create({ destination: { kind: 'syslog', host: 'siem.example', port: 514, transport: 'tcp', payload: 'cef', serverName: 'x' } })).toThrow(/needs transport tls/);
    expect(() => create({ destination: { kind: 'syslog', host: 'siem.example', port: 70_000, transport: 'tcp', payload: 'cef' } })).toThrow();
    expect(() => create({ destination: { kind: 'syslog', host: 'siem.example', port: 6514, transport: 'tls', payload: 'leef', clientKeyCredentialId: HMAC_KEY } })).toThrow(/mutual TLS/);
    expect(() => create({ destination: { kind: 'elasticsearch', url: 'https://es.example', index: 'Audit*' } })).toThrow(/index/);
    expect(() => create({ destination: { kind: 'file', directory: '../../etc' } })).toThrow();
    expect(() => create({ delivery: { batchSize: 0 } })).toThrow();
    expect(() => create({ name: 'Not A Slug' })).toThrow();
  });

  it('updates only what it names, emits nothing when nothing changes, and keeps names unique', () => {
    const model = base();
    const ctx = context();
    run(model, create(), ctx);
    run(model, create({ name: 'hook', destination: { kind: 'webhook', url: 'https://hooks.acme.example/siem', signingKeyCredentialId: HMAC_KEY } }), ctx);
    expect(decide(update(EXP1, { delivery: { batchSize: 500, maxAttempts: 3 } }), model, context()).events).toEqual([
      { type: 'AuditExporterReconfigured', data: { name: 'splunk', destination: { ...splunk, sourcetype: 'mcpgate:audit', source: 'mcpgate' }, delivery: { batchSize: 500, maxAttempts: 3 } } },
    ]);
    expect(decide(update(EXP1, { name: 'splunk' }), model, context()).events).toEqual([]);
    expect(() => decide(update(EXP1, { name: 'hook' }), model, context())).toThrow(expect.objectContaining({ reason: 'audit_exporter.name_taken' }));
    expect(() => decide(update('exp_nonexistent0', { name: 'x' }), model, context())).toThrow(expect.objectContaining({ code: 'NOT_FOUND', reason: 'audit_exporter.not_found' }));
  });

  it('disables and enables once each (repeats are no-ops), deletes once, and frees the name', () => {
    const model = base();
    run(model, create());
    expect(run(model, command({ type: 'DisableAuditExporter', data: { exporterId: EXP1 } })).events).toEqual([{ type: 'AuditExporterDisabled', data: {} }]);
    expect(decide(command({ type: 'DisableAuditExporter', data: { exporterId: EXP1 } }), model, context()).events).toEqual([]);
    expect(run(model, command({ type: 'EnableAuditExporter', data: { exporterId: EXP1 } })).events).toEqual([{ type: 'AuditExporterEnabled', data: {} }]);
    expect(decide(command({ type: 'EnableAuditExporter', data: { exporterId: EXP1 } }), model, context()).events).toEqual([]);
    expect(run(model, command({ type: 'DeleteAuditExporter', data: { exporterId: EXP1 } })).events).toEqual([{ type: 'AuditExporterDeleted', data: {} }]);
    expect(decide(command({ type: 'DeleteAuditExporter', data: { exporterId: EXP1 } }), model, context()).events).toEqual([]);
    expect(() => decide(command({ type: 'EnableAuditExporter', data: { exporterId: EXP1 } }), model, context())).toThrow(expect.objectContaining({ reason: 'audit_exporter.not_found' }));
    expect(model.auditExporters.get(EXP1)).toMatchObject({ status: 'deleted', enabled: false });
    expect(decide(create(), model, context({ newId: () => 'exp_0000000002' })).events).toHaveLength(1);
  });

  it('keeps a credential that an exporter uses from being deleted', () => {
    const model = base();
    run(model, create());
    expect(() => decide(command({ type: 'DeleteCredential', data: { credentialId: HEC_TOKEN } }), model, context())).toThrow(
      expect.objectContaining({ code: 'CONFLICT', reason: 'credential.in_use', details: { exporters: [EXP1] } }),
    );
    run(model, command({ type: 'DeleteAuditExporter', data: { exporterId: EXP1 } }));
    expect(decide(command({ type: 'DeleteCredential', data: { credentialId: HEC_TOKEN } }), model, context()).events).toHaveLength(1);
  });

  it(`allows at most ${MAX_AUDIT_EXPORTERS} exporters per tenant`, () => {
    const model = base();
    let n = 0;
    const ctx = context({ newId: (prefix) => `${prefix}_${String(++n).padStart(10, '0')}` });
    for (let i = 0; i < MAX_AUDIT_EXPORTERS; i++) run(model, create({ name: `e-${i}` }), ctx);
    expect(() => decide(create({ name: 'one-more' }), model, ctx)).toThrow(expect.objectContaining({ reason: 'audit_exporter.limit_reached' }));
  });

  it('changes nothing on a deleted tenant', () => {
    const deleted = given(tenantCreated, { streamId: tenantCreated.streamId, event: { type: 'TenantDeleted', data: { reason: 'gone', retainUntil: '2030-01-01T00:00:00.000Z' } } });
    expect(() => decide(create(), deleted, context())).toThrow(expect.objectContaining({ code: 'CONFLICT', reason: 'tenant.deleted' }));
  });

  it('voids the loser of a race for one name when the log applies it, as every replica does', () => {
    const model = base();
    const first = decide(create(), model, context());
    const second = decide(create({ delivery: { batchSize: 7 } }), model, context({ newId: () => 'exp_0000000099' }));
    run(model, create());
    expect(first.events).toHaveLength(1);
    expect(checkInvariants(model, second.streamId, second.events)).toMatchObject({ code: 'CONFLICT', reason: 'audit_exporter.name_taken' });
  });
});
