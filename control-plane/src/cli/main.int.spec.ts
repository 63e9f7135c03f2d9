/**
 * `audit verify` through the operator CLI's entry point, as an operator runs it: a real process
 * against the configured (embedded) database, progress on stderr, and the exit status.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { auditSigner, loadAuditMacKeys } from '../audit/audit-keys.js';
import { AuditSink } from '../audit/audit-sink.js';
import { tamper } from '../audit/audit-trail.contract.js';
import { auditEvent, tenantId } from '../audit/test/audit-fixtures.js';
import { KeyStore } from '../infra/crypto/key-store.js';
import { openDatabase } from '../infra/database/database.js';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(packageDir, '..', 'node_modules', '.bin', 'tsx');

/** Runs the CLI main in its own process; resolves with its exit status and output. */
const cli = (env: Record<string, string>, ...args: string[]) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(tsx, ['--conditions=@mcpgate/source', 'src/cli/main.ts', ...args], {
      cwd: packageDir,
      // the test runner's Node (24) first, as npm scripts do
      env: { ...process.env, ...env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}` },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });

describe('mcpgate-control-plane audit verify', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-cli-main-'));
  const env = { MCPGATE_DATA_DIR: dataDir, MCPGATE_ENV: 'production' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('proves the configured trail intact with progress, and exits non-zero on tampering', async () => {
    const keysDir = join(dataDir, 'keys');
    const signing = new KeyStore(keysDir, true).signingKey();
    const macKeys = loadAuditMacKeys(keysDir, true);
    const database = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'read-models') });
    const sink = new AuditSink(database.prisma, { signer: auditSigner(signing), macKeys, checkpointEvery: 5 });
    await sink.start();
    await sink.ingest(Array.from({ length: 12 }, (_, i) => auditEvent(1, i + 1)));
    await sink.stop();
    await database.close();

    const intact = await cli(env, 'audit', 'verify', '--all');
    expect(intact.stderr).toContain(`${tenantId(1)} (1/1): verifying`);
    expect(intact).toMatchObject({ status: 0, stdout: expect.stringContaining(`tenant ${tenantId(1)}: intact: 12 records`) });

    const reopened = await openDatabase({ kind: 'pglite', dataDir: join(dataDir, 'read-models') }, { migrate: false });
    await tamper(reopened.prisma, `DELETE FROM audit_event WHERE tenant_id = '${tenantId(1)}' AND seq = 7`);
    await reopened.close();
    const tampered = await cli(env, 'audit', 'verify', '--tenant', tenantId(1));
    expect(tampered.status).toBe(1);
    expect(tampered.stdout).toMatch(/NOT INTACT: removed at seq 7/);

    const usage = await cli(env, 'audit', 'verify');
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage: audit verify');
  });
});

describe('mcpgate-control-plane replay', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'mcpgate-cli-replay-'));
  const env = { MCPGATE_DATA_DIR: dataDir, MCPGATE_ENV: 'production' };
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds the configured read models, and refuses a thread count that is not one', async () => {
    const rebuilt = await cli(env, 'replay', '--threads', '2');
    expect(rebuilt).toMatchObject({ status: 0, stdout: expect.stringContaining('rebuilt the read models from 0 log records') });
    for (const bad of ['0', 'two']) {
      const usage = await cli(env, 'replay', `--threads=${bad}`);
      expect(usage.status).toBe(2);
      expect(usage.stderr).toContain('--threads takes a whole number');
      expect(usage.stderr).toContain('usage: mcpgate-control-plane replay [--threads N]');
    }
  });
});
