import { randomBytes } from 'node:crypto';
import type { AuditEvent } from '@mcpgate/contracts';
import { generateSigningKeyPair } from '../../infra/crypto/snapshot-signer.js';
import { auditSigner, macKeyring, type AuditMacKeyring, type AuditSigner, type AuditTrustedKeys } from '../audit-keys.js';

/** `ten_` + 12 characters, distinct per index. */
export const tenantId = (index: number): string => `ten_audit${String(index).padStart(7, '0')}`;

/** A version-4-shaped UUID that encodes (tenant, n), so tests can tell events apart at a glance. */
export const eventId = (tenant: number, n: number): string => {
  const t = tenant.toString(16).padStart(8, '0');
  const c = n.toString(16).padStart(12, '0');
  return `${t}-0000-4000-8000-${c}`;
};

export interface AuditEventOptions {
  readonly region?: string;
  readonly time?: string;
  readonly eventId?: string;
  readonly outcome?: 'allowed' | 'denied' | 'failed';
  readonly tool?: string;
}

/** A valid AuditEvent for tenant `tenant`, number `n`; varies principals and outcomes. */
export const auditEvent = (tenant: number, n: number, options: AuditEventOptions = {}): AuditEvent => {
  const outcome = options.outcome ?? (n % 7 === 0 ? 'denied' : n % 11 === 0 ? 'failed' : 'allowed');
  const principal: AuditEvent['principal'] =
    n % 3 === 0
      ? { kind: 'oauth', issuer: 'https://idp.example.com', subject: `user-${n % 50}`, groups: ['eng', 'oncall'] }
      : { kind: 'virtual-key', keyId: `vk_key${String(n % 20).padStart(8, '0')}`, keyPrefix: 'mcpg_ab12' };
  return {
    schemaVersion: 1,
    eventId: options.eventId ?? eventId(tenant, n),
    time: options.time ?? new Date(Date.UTC(2026, 10, 1) + n * 1_000).toISOString(),
    tenantId: tenantId(tenant),
    region: options.region ?? 'eu-west-1',
    proxyId: 'proxy-a',
    principal,
    virtualServerId: 'vsr_tools000001',
    upstreamServerId: 'srv_github00001',
    method: 'tools/call',
    tool: options.tool ?? `github__tool_${n % 13}`,
    argumentsHash: 'a'.repeat(64),
    arguments: { query: `search ${n}`, limit: n % 100, nested: { flags: [true, false, null], note: 'ünïcødé ✓' } },
    decision: { outcome, reason: outcome === 'allowed' ? 'policy.allowed' : outcome === 'denied' ? 'policy.tool_denied' : 'upstream.timeout', ...(outcome === 'denied' ? { ruleId: 'deny-admin-tools' } : {}) },
    latencyMs: 12.5 + (n % 40),
    policyVersion: { logPosition: `0:${1000 + n}`, contentHash: 'b'.repeat(64) },
    traceId: 'c'.repeat(32),
    sessionId: `sess-${n % 5}`,
  };
};

export interface AuditTestKeys {
  readonly signer: AuditSigner;
  readonly macKeys: AuditMacKeyring;
  /** What the control plane verifies with (MACs included). */
  readonly trusted: AuditTrustedKeys;
  /** What an outside auditor verifies with (public keys only). */
  readonly publicOnly: AuditTrustedKeys;
}

export const auditTestKeys = (keyId = 'cp-test'): AuditTestKeys => {
  const pair = generateSigningKeyPair(keyId);
  const macKeys = macKeyring('mac-1', { 'mac-1': randomBytes(32).toString('base64') });
  const signing = new Map([[pair.keyId, pair.publicKeyPem]]);
  return { signer: auditSigner(pair), macKeys, trusted: { signing, mac: macKeys.keys }, publicOnly: { signing } };
};
