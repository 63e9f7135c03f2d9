/**
 * Moving an embedded installation to Kafka and PostgreSQL: stop it, copy its event log into Kafka,
 * start it again with the Kafka and database settings, and everything is there.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { startKafka, startPostgres, waitUntil, type StartedKafka, type StartedPostgres } from '@mcpgate/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { tenantIdForSlug } from '../core/ids.js';
import { startControlPlane, type RunningControlPlane } from '../start.js';
import { logCopyCommand } from './log-copy.js';

const actor = { kind: 'system', component: 'test' } as const;

describe('log copy-to-kafka: an embedded installation moves to Kafka and PostgreSQL', () => {
  let kafka: StartedKafka;
  let postgres: StartedPostgres;
  const running: RunningControlPlane[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-move-'));
  const embeddedEnv = { MCPGATE_DATA_DIR: dataDir, MCPGATE_API_PORT: '0' };

  beforeAll(async () => {
    [kafka, postgres] = await Promise.all([startKafka(), startPostgres()]);
  });
  afterAll(async () => {
    await Promise.allSettled(running.map((r) => r.close()));
    await Promise.allSettled([kafka?.stop(), postgres?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('copies the log, and the control plane started on Kafka and PostgreSQL rebuilds every tenant and its history from it', async () => {
    const embedded = await startControlPlane(controlPlaneConfigFromEnv(embeddedEnv));
    running.push(embedded);
    await embedded.commands.execute(undefined, { type: 'CreateTenant', data: { slug: 'initech', displayName: 'Initech', regions: ['eu-west-1'] } }, { actor });
    const initech = tenantIdForSlug('initech');
    await embedded.commands.execute(initech, { type: 'RenameTenant', data: { tenantId: initech, displayName: 'Initech Corp' } }, { actor });

    // while it runs, the log is locked: the command says to stop it first and copies nothing
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      expect(await logCopyCommand(['--brokers', kafka.brokers.join(',')], embeddedEnv)).toBe(1);
      expect(errors.mock.calls.flat().join('\n')).toMatch(/locked by pid .*stop the running gateway first/);
    } finally {
      errors.mockRestore();
    }
    await embedded.close();
    running.splice(0);

    const output = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      expect(await logCopyCommand([], { ...embeddedEnv, MCPGATE_KAFKA_BROKERS: kafka.brokers.join(',') })).toBe(0);
      expect(output.mock.calls.flat().join('\n')).toMatch(/^copied \d+ records \(0 were already in Kafka\)/m);
      // a second run (say, after an interruption) finds everything there and appends nothing
      expect(await logCopyCommand([], { ...embeddedEnv, MCPGATE_KAFKA_BROKERS: kafka.brokers.join(',') })).toBe(0);
      expect(output.mock.calls.flat().at(-1)).toMatch(/^copied 0 records/);
    } finally {
      output.mockRestore();
    }

    const moved = await startControlPlane(
      controlPlaneConfigFromEnv({ ...embeddedEnv, MCPGATE_KAFKA_BROKERS: kafka.brokers.join(','), DATABASE_URL: await postgres.createDatabase('moved') }),
    );
    running.push(moved);
    await waitUntil('the tenant rebuilt in PostgreSQL from the copied log', async () => (await moved.database.prisma.tenant.findUnique({ where: { id: initech } }))?.displayName === 'Initech Corp');
    expect(await moved.database.prisma.adminActivity.count({ where: { tenantId: initech } })).toBe(2);
    // and it goes on from there: the next command lands after the copied history
    await moved.commands.execute(initech, { type: 'SuspendTenant', data: { tenantId: initech, reason: 'moved' } }, { actor });
    await waitUntil('the new command projected', async () => (await moved.database.prisma.tenant.findUnique({ where: { id: initech } }))?.status === 'suspended');
  });
});
