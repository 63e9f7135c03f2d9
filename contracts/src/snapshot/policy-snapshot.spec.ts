import { describe, expect, it } from 'vitest';
import pinned from '../testdata/events.v1.json' with { type: 'json' };
import { AuditEvent } from '../audit/audit-event.js';
import { PolicySnapshot, SignedSnapshot } from './policy-snapshot.js';

const version = { logPosition: '0:1842', contentHash: 'a'.repeat(64) };
const snapshot = {
  schemaVersion: 1,
  tenantId: 'ten_01JD3XK9QZ7Y',
  tenantSlug: 'acme',
  status: 'active',
  version,
  builtAt: '2026-11-25T10:00:01.000Z',
  regions: ['eu-west-1'],
  upstreams: [{ id: 'srv_01JD3XKA00CC', config: pinned.events.UpstreamServerRegistered.config }],
  virtualServers: [
    { id: 'vsr_01JD3XKA00FF', name: 'dev-tools', prefixMode: 'on-collision', upstreams: [{ serverId: 'srv_01JD3XKA00CC', tools: ['*'] }], anonymousAccess: false },
  ],
  keys: [
    {
      id: 'vk_01JD3XKA00EE',
      prefix: 'mcpg_Ab3dEf9h',
      secretHashes: [pinned.events.VirtualKeyIssued.secretHash],
      scopes: pinned.events.VirtualKeyIssued.scopes,
    },
  ],
  roleBindings: [{ subject: { kind: 'group', idpId: 'okta-main', group: 'mcp-admins' }, role: 'tenant-admin' }],
  identityProviders: [
    { id: 'okta-main', issuer: 'https://acme.okta.com', jwksUri: 'https://acme.okta.com/oauth2/v1/keys', audiences: ['https://eu.mcpgate.example/mcp'] },
  ],
  policies: [{ id: 'pol_01JD3XKA00HH', name: 'default', document: pinned.events.PolicyCreated.document }],
  secrets: [{ credentialId: 'cred_01JD3XKA00DD', regionKeyId: 'eu-west-1/v3', wrappedDataKey: 'AAAA', iv: 'AAAA', ciphertext: 'AAAA', authTag: 'AAAA' }],
};

describe('PolicySnapshot', () => {
  it('parses a complete tenant snapshot and fills policy defaults', () => {
    const sut = PolicySnapshot.parse(snapshot);
    expect(sut.identityProviders[0]?.groupsClaim).toBe('groups');
    expect(sut.keys[0]?.scopes.tools).toEqual({ allow: ['github__*'], deny: ['github__delete_*'] });
  });

  it('refuses a snapshot of an unknown schema version', () => {
    expect(PolicySnapshot.safeParse({ ...snapshot, schemaVersion: 2 }).success).toBe(false);
  });

  it('refuses a key without a secret hash, so no key can match everything', () => {
    const keys = [{ ...snapshot.keys[0], secretHashes: [] }];
    expect(PolicySnapshot.safeParse({ ...snapshot, keys }).success).toBe(false);
  });

  it('carries a signature over the exact payload bytes', () => {
    const signed = { payload: JSON.stringify(snapshot), signature: { alg: 'Ed25519', keyId: 'cp-2026-11', value: 'c2lnbmF0dXJl' } };
    expect(SignedSnapshot.parse(signed).payload).toBe(JSON.stringify(snapshot));
    expect(SignedSnapshot.safeParse({ ...signed, signature: { ...signed.signature, alg: 'none' } }).success).toBe(false);
  });
});

describe('AuditEvent', () => {
  const denied = {
    schemaVersion: 1,
    eventId: '0193a1f2-7c4e-7b8a-9c3d-2e1f0a9b8c71',
    time: '2026-11-25T10:00:02.120Z',
    tenantId: 'ten_01JD3XK9QZ7Y',
    region: 'eu-west-1',
    proxyId: 'proxy-eu-west-1-a',
    principal: { kind: 'virtual-key', keyId: 'vk_01JD3XKA00EE', keyPrefix: 'mcpg_Ab3dEf9h' },
    virtualServerId: 'vsr_01JD3XKA00FF',
    method: 'tools/call',
    tool: 'github__delete_repo',
    argumentsHash: 'b'.repeat(64),
    decision: { outcome: 'denied', reason: 'policy.tool_denied', ruleId: 'no-deletes' },
    latencyMs: 0.4,
    policyVersion: version,
    traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  };

  it('records who, what, the decision with its rule, and the policy version that decided', () => {
    expect(AuditEvent.parse(denied).decision.ruleId).toBe('no-deletes');
  });

  it('refuses an event without the policy version that decided it', () => {
    const { policyVersion: _dropped, ...withoutVersion } = denied;
    expect(AuditEvent.safeParse(withoutVersion).success).toBe(false);
  });

  it('refuses free-text reasons so reports can group by reason', () => {
    expect(AuditEvent.safeParse({ ...denied, decision: { outcome: 'denied', reason: 'Denied by policy!' } }).success).toBe(false);
  });

  it('keeps a tool-call event written before admin records existed as it was: no kind is added', () => {
    const parsed = AuditEvent.parse(denied);
    expect('kind' in parsed).toBe(false);
    expect(parsed).toEqual(denied);
  });

  const admin = {
    schemaVersion: 1,
    kind: 'admin',
    eventId: '0193a1f2-7c4e-7b8a-9c3d-2e1f0a9b8c72',
    time: '2026-11-25T10:00:03.000Z',
    tenantId: 'ten_01JD3XK9QZ7Y',
    region: 'control-plane',
    proxyId: 'control-plane',
    principal: { kind: 'admin', actor: { kind: 'user', issuer: 'https://acme.okta.com', subject: '00uadmin' } },
    method: 'admin/VirtualKeyRevoked',
    decision: { outcome: 'allowed', reason: 'admin.change_applied' },
    latencyMs: 0,
    policyVersion: { logPosition: '0:1843', contentHash: 'c'.repeat(64) },
    change: { type: 'VirtualKeyRevoked', streamId: 'virtual-key-vk_01JD3XKA00EE', streamVersion: 2, correlationId: 'corr-1', data: { reason: 'leaked' } },
  };

  it('records admin activity in the same trail: who (the actor), what (the change), when', () => {
    expect(AuditEvent.parse(admin).change?.type).toBe('VirtualKeyRevoked');
  });

  it('refuses an admin record without its change, and a tool call that claims an admin principal', () => {
    const { change: _dropped, ...withoutChange } = admin;
    expect(AuditEvent.safeParse(withoutChange).success).toBe(false);
    expect(AuditEvent.safeParse({ ...denied, principal: admin.principal }).success).toBe(false);
    expect(AuditEvent.safeParse({ ...denied, change: admin.change }).success).toBe(false);
  });
});
