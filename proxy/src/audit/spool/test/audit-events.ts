import { randomUUID } from 'node:crypto';
import type { AuditEvent } from '@mcpgate/contracts';

/** Tenant ids for tests: `ten_spooltest<n, 6 digits>`. */
export const testTenant = (n: number): string => `ten_spooltest${String(n).padStart(6, '0')}`;

/** A valid audit event; `seq` lands in `tool` (`seq_<n>`) so tests can check order. */
export const testEvent = (seq: number, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  schemaVersion: 1,
  eventId: randomUUID(),
  time: new Date().toISOString(),
  tenantId: testTenant(seq % 5),
  region: 'eu-west-1',
  proxyId: 'proxy-spool-test',
  principal: { kind: 'virtual-key', keyId: 'vk_spooltest00', keyPrefix: 'mcpg_abcd1234' },
  method: 'tools/call',
  tool: `seq_${seq}`,
  argumentsHash: 'a'.repeat(64),
  decision: { outcome: 'allowed', reason: 'policy.default_allow' },
  latencyMs: 1.5,
  policyVersion: { logPosition: '0:42', contentHash: 'b'.repeat(64) },
  ...extra,
});

/** The sequence number `testEvent` put into an event. */
export const seqOf = (event: Pick<AuditEvent, 'tool'>): number => Number(event.tool?.slice('seq_'.length));
