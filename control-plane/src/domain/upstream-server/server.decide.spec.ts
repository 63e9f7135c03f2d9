import { describe, expect, it } from 'vitest';
import { decide } from '../decide.js';
import { command, context, given, run, tenantCreated } from '../test/given.js';

const server = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  regions: ['eu-west-1'],
  connection: { transport: 'streamable-http', endpoints: [{ id: 'primary', url: 'https://mcp.example/mcp' }] },
  ...extra,
});
const sealed = { vaultKeyId: 'vault-1', wrappedDataKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' };

describe('upstream server, virtual server and credential deciders', () => {
  it('registers a server with defaults filled in and refuses a second one with the same name', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const first = run(model, command({ type: 'RegisterUpstreamServer', data: { config: server('github') } }), ctx);
    expect(first.createdId).toBe('srv_0000000001');
    expect(first.events[0]).toMatchObject({ type: 'UpstreamServerRegistered', data: { config: { timeouts: { connectMs: 5000, callMs: 60000 } } } });
    expect(() => decide(command({ type: 'RegisterUpstreamServer', data: { config: server('github') } }), model, ctx)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', reason: 'upstream_server.name_taken' }),
    );
  });

  it('refuses a region the tenant is not served in, and a credential that does not exist', () => {
    const model = given(tenantCreated);
    expect(() => decide(command({ type: 'RegisterUpstreamServer', data: { config: server('a', { regions: ['ap-south-1'] }) } }), model, context())).toThrow(
      expect.objectContaining({ code: 'VALIDATION', reason: 'upstream_server.region_not_served' }),
    );
    const credential = { credentialId: 'cred_0000000009', inject: { as: 'header', name: 'Authorization', prefix: 'Bearer ' } };
    expect(() => decide(command({ type: 'RegisterUpstreamServer', data: { config: server('a', { credential }) } }), model, context())).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', reason: 'credential.not_found' }),
    );
  });

  it('keeps references whole: no virtual server over a missing server, no removal of a server in use', () => {
    const model = given(tenantCreated);
    expect(() => decide(command({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: 'srv_0000000001' }] } } }), model, context())).toThrow(
      expect.objectContaining({ reason: 'upstream_server.not_found' }),
    );
    const ctx = context();
    run(model, command({ type: 'RegisterUpstreamServer', data: { config: server('github') } }), ctx);
    const bundle = run(model, command({ type: 'CreateVirtualServer', data: { config: { name: 'dev', upstreams: [{ serverId: 'srv_0000000001' }] } } }), ctx);
    expect(bundle.events[0]).toMatchObject({ data: { config: { prefixMode: 'on-collision', anonymousAccess: false, upstreams: [{ tools: ['*'] }] } } });
    expect(() => decide(command({ type: 'RemoveUpstreamServer', data: { serverId: 'srv_0000000001' } }), model, ctx)).toThrow(
      expect.objectContaining({ code: 'CONFLICT', reason: 'upstream_server.in_use' }),
    );
    run(model, command({ type: 'DeleteVirtualServer', data: { virtualServerId: bundle.createdId } }), ctx);
    expect(run(model, command({ type: 'RemoveUpstreamServer', data: { serverId: 'srv_0000000001' } }), ctx).events).toEqual([{ type: 'UpstreamServerRemoved', data: {} }]);
    expect(decide(command({ type: 'RemoveUpstreamServer', data: { serverId: 'srv_0000000001' } }), model, ctx).events).toEqual([]);
  });

  it('marks PHI tools with globs, keeps phiTools absent when unset, and refuses duplicate or catch-all globs', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const plain = run(model, command({ type: 'RegisterUpstreamServer', data: { config: server('github') } }), ctx);
    expect(plain.events[0]!.data).not.toHaveProperty('config.phiTools');
    const ehr = run(model, command({ type: 'RegisterUpstreamServer', data: { config: server('ehr', { phiTools: ['patient_*', 'read_chart'] }) } }), ctx);
    expect(ehr.events[0]).toMatchObject({ type: 'UpstreamServerRegistered', data: { config: { phiTools: ['patient_*', 'read_chart'] } } });
    expect(model.servers.get(ehr.createdId!)).toMatchObject({ config: { phiTools: ['patient_*', 'read_chart'] } });
    expect(() => decide(command({ type: 'RegisterUpstreamServer', data: { config: server('lab', { phiTools: ['a', 'a'] }) } }), model, ctx)).toThrow(
      expect.objectContaining({ code: 'VALIDATION', reason: 'upstream_server.duplicate_phi_tools' }),
    );
    expect(() => decide(command({ type: 'ReconfigureUpstreamServer', data: { serverId: ehr.createdId, config: server('ehr', { phiTools: ['*'] }) } }), model, ctx)).toThrow(
      expect.objectContaining({ code: 'VALIDATION', reason: 'upstream_server.phi_tools_all' }),
    );
    expect(() => command({ type: 'RegisterUpstreamServer', data: { config: server('bad', { phiTools: ['no spaces'] }) } })).toThrow();
    const tagged = run(model, command({ type: 'ReconfigureUpstreamServer', data: { serverId: ehr.createdId, config: server('ehr', { tags: ['phi'], phiTools: ['patient_*'] }) } }), ctx);
    expect(tagged.events[0]).toMatchObject({ type: 'UpstreamServerReconfigured', data: { config: { tags: ['phi'], phiTools: ['patient_*'] } } });
  });

  it('reconfigures only when the configuration changes', () => {
    const model = given(tenantCreated);
    const ctx = context();
    const { createdId } = run(model, command({ type: 'RegisterUpstreamServer', data: { config: server('github') } }), ctx);
    expect(decide(command({ type: 'ReconfigureUpstreamServer', data: { serverId: createdId, config: server('github') } }), model, ctx).events).toEqual([]);
    expect(decide(command({ type: 'ReconfigureUpstreamServer', data: { serverId: createdId, config: server('github-2') } }), model, ctx).events).toHaveLength(1);
  });

  it('stores credentials sealed, never in plaintext, and refuses to delete one in use', () => {
    const model = given(tenantCreated);
    const ctx = context();
    expect(() => decide(command({ type: 'StoreCredential', data: { name: 'gh', kind: 'shared' } }), model, ctx)).toThrow(
      expect.objectContaining({ reason: 'credential.secret_required' }),
    );
    const stored = run(model, command({ type: 'StoreCredential', data: { name: 'gh', kind: 'shared', secret: sealed } }), ctx);
    expect(stored.events[0]).toMatchObject({ type: 'CredentialStored', data: { secret: sealed } });
    const credential = { credentialId: stored.createdId, inject: { as: 'header', name: 'Authorization' } };
    run(model, command({ type: 'RegisterUpstreamServer', data: { config: server('github', { credential }) } }), ctx);
    expect(() => decide(command({ type: 'DeleteCredential', data: { credentialId: stored.createdId } }), model, ctx)).toThrow(
      expect.objectContaining({ reason: 'credential.in_use' }),
    );
    expect(() => decide(command({ type: 'StorePerUserSecret', data: { credentialId: stored.createdId, issuer: 'i', subject: 's', secret: sealed } }), model, ctx)).toThrow(
      expect.objectContaining({ reason: 'credential.not_per_user' }),
    );
  });
});
