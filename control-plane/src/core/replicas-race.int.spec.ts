/**
 * Two control-plane instances, each with its own Kafka connection and its own applier reading the
 * whole log, race on the same tenant through a real broker. The log is the arbiter: exactly one of
 * two conflicting writes wins, the loser gets a typed error, and both instances end in the same state.
 */
import type { ControlCommand } from '@mcpgate/contracts';
import { startKafka, type StartedKafka } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command } from '../domain/test/given.js';
import { KafkaEventLog } from '../event-log/kafka-event-log.js';
import { canonicalJson } from '../snapshot/canonical-json.js';
import { CommandBus } from './command-bus.js';
import { tenantIdForSlug } from './ids.js';
import { LogApplier } from './log-applier.js';

const actor = { kind: 'user', issuer: 'https://idp.example', subject: 'ada' } as const;

describe('two control-plane instances on one Kafka log', () => {
  let kafka: StartedKafka;
  const instances: { log: KafkaEventLog; applier: LogApplier; bus: CommandBus }[] = [];

  beforeAll(async () => {
    kafka = await startKafka();
    for (let i = 0; i < 2; i++) {
      const log = await KafkaEventLog.open({ brokers: kafka.brokers, topic: 'race.control.events', partitions: 3, clientId: `cp-${i}` });
      const applier = new LogApplier(log);
      await applier.start();
      instances.push({ log, applier, bus: new CommandBus(log, applier) });
    }
  });
  afterAll(async () => {
    for (const { applier, log } of instances) {
      await applier.stop();
      await log.close();
    }
    await kafka?.stop();
  });

  const tenantId = tenantIdForSlug('racers');
  const exec = (i: number, c: ControlCommand) => instances[i]!.bus.execute(tenantId, c, { actor });
  const server = (url: string) => command({ type: 'RegisterUpstreamServer', data: { config: { name: 'github', regions: ['eu-west-1'], connection: { transport: 'sse', endpoints: [{ id: 'a', url }] } } } });

  it('lets exactly one of two conflicting registrations win, and both instances agree on the state', async () => {
    await exec(0, command({ type: 'CreateTenant', data: { slug: 'racers', displayName: 'Racers', regions: ['eu-west-1'] } }));
    const outcomes = await Promise.allSettled([exec(0, server('https://a.example/sse')), exec(1, server('https://b.example/sse'))]);
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toMatchObject({ name: 'DomainError', code: 'CONFLICT', reason: 'upstream_server.name_taken' });

    for (const { applier } of instances) await applier.catchUp();
    const [a, b] = instances.map(({ applier }) => applier.tenant(tenantId));
    expect([...a!.servers.values()].filter((s) => s.status === 'active')).toHaveLength(1);
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('applies every one of many concurrent writes to one stream exactly once, in one order everywhere', async () => {
    const renames = Array.from({ length: 8 }, (_, i) => exec(i % 2, command({ type: 'RenameTenant', data: { tenantId, displayName: `Racers ${i}` } })));
    const versions = (await Promise.all(renames)).map((r) => r.version).sort((x, y) => x - y);
    expect(versions).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    for (const { applier } of instances) await applier.catchUp();
    const [a, b] = instances.map(({ applier }) => applier.tenant(tenantId));
    expect(a!.versionOf(`tenant-${tenantId}`)).toBe(9);
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });
});
