/**
 * A proxy with Kafka configured: every tool call's audit event is fsync'd to its spool before the
 * answer and shipped to mcpgate.audit.<region>, where it arrives once, with the call's details.
 */
import type { AuditEvent } from '@mcpgate/contracts';
import { startConformanceFixture, startKafka, waitUntil, type StartedKafka } from '@mcpgate/testing';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectAgent, startTestProxy, tenantSnapshot, virtualKey, type TestProxy } from '../src/proxy-harness.js';

describe('audit events from the proxy to Kafka', () => {
  let kafka: StartedKafka;
  let fixture: Awaited<ReturnType<typeof startConformanceFixture>>;
  let proxy: TestProxy;
  const key = virtualKey('vk_audited000001', ['vsr_audited00001']);

  beforeAll(async () => {
    [kafka, fixture] = await Promise.all([startKafka(), startConformanceFixture()]);
    proxy = await startTestProxy({ extra: { kafkaBrokers: kafka.brokers } });
    proxy.publish(
      tenantSnapshot({
        upstreams: [{ id: 'srv_audited00001', config: { name: 'fixture', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url }] }, regions: ['eu-west-1'] } }],
        virtualServers: [{ id: 'vsr_audited00001', name: 'audited', prefixMode: 'never', upstreams: [{ serverId: 'srv_audited00001', tools: ['*'] }], anonymousAccess: false }],
        keys: [key.key],
      }),
    );
  });
  afterAll(async () => {
    await proxy?.close();
    await fixture?.close();
    await kafka?.stop();
  });

  it('ships each tool call once to mcpgate.audit.eu-west-1, keyed by tenant, without the key secret', async () => {
    const client = await connectAgent(`${proxy.url}/mcp/audited`, key.secret);
    for (let i = 0; i < 5; i += 1) await client.callTool({ name: 'test_simple_text', arguments: { round: i } });
    await client.close();
    const status = (await (await fetch(`${proxy.url}/status`)).json()) as { audit: { kind: string } };
    expect(status.audit.kind).toBe('spool');

    const consumer = new Kafka({ clientId: 'audit-reader', brokers: kafka.brokers, logLevel: logLevel.NOTHING }).consumer({ groupId: 'audit-reader' });
    await consumer.connect();
    const seen: { key: string; event: AuditEvent }[] = [];
    try {
      await waitUntil('the audit topic exists', async () => {
        try {
          await consumer.subscribe({ topic: 'mcpgate.audit.eu-west-1', fromBeginning: true });
          return true;
        } catch {
          return undefined;
        }
      });
      await consumer.run({ eachMessage: async ({ message }) => void seen.push({ key: message.key!.toString(), event: JSON.parse(message.value!.toString()) as AuditEvent }) });
      await waitUntil('five tool-call events arrive', () => seen.filter((s) => s.event.method === 'tools/call').length >= 5 || undefined, { timeoutMs: 60_000 });
    } finally {
      await consumer.disconnect();
    }
    const calls = seen.filter((s) => s.event.method === 'tools/call');
    expect(calls).toHaveLength(5);
    expect(new Set(calls.map((c) => c.event.eventId)).size).toBe(5);
    expect(calls[0]).toMatchObject({ key: 'ten_acme000000000000', event: { tool: 'test_simple_text', principal: { kind: 'virtual-key', keyId: 'vk_audited000001' }, decision: { outcome: 'allowed' }, region: 'eu-west-1' } });
    expect(JSON.stringify(seen)).not.toContain(key.secret);
    const metrics = await (await fetch(`${proxy.url}/metrics`)).text();
    expect(metrics).toMatch(/mcpgate_audit_spool_records\{region="eu-west-1"\} 0/);
    // every event shipped was appended first, and timed
    const appended = Number(/mcpgate_audit_spool_append_seconds_count\{region="eu-west-1"\} (\d+)/.exec(metrics)?.[1]);
    const writes = Number(/mcpgate_audit_spool_writes_total\{region="eu-west-1"\} (\d+)/.exec(metrics)?.[1]);
    expect(appended).toBeGreaterThanOrEqual(seen.length);
    expect(writes).toBeGreaterThanOrEqual(1);
    expect(writes).toBeLessThanOrEqual(appended);
  });
});
