/**
 * `mcpgate audit verify`: proves tenants' audit trails intact, or names the first record that is not
 * what the sink wrote. Configured like the server (environment variables, see README.md); reads
 * only, never migrates or writes.
 *
 *   audit verify --tenant <id> [--tenant <id> …] | --all
 *                [--from <ISO time>] [--to <ISO time>]
 *                [--published <file>]      checkpoints as published (JSON lines or a JSON array)
 *                [--trusted-keys <file>]   more Ed25519 public keys {keyId: PEM} (after a rotation)
 *                [--public]                verify as an outside auditor: signatures, no record MACs
 *                [--json]                  one JSON result per tenant on stdout
 *
 * Exit status: 0 every trail verifies, 1 a trail does not, 2 usage, 3 could not run.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { loadAuditMacKeys, type AuditTrustedKeys } from '../audit/audit-keys.js';
import { auditTenants } from '../audit/audit-store.js';
import { verifyAuditTrail, type AuditVerification } from '../audit/audit-verify.js';
import type { PublishedCheckpoint } from '../audit/checkpoint-publisher.js';
import { KeyStore } from '../infra/crypto/key-store.js';
import { openAuditSqlForCommand } from './audit-sql.js';

export const AUDIT_VERIFY_USAGE =
  'usage: audit verify (--tenant <id>... | --all) [--from <time>] [--to <time>] [--published <file>] [--trusted-keys <file>] [--public] [--json]';

export interface CommandIo {
  readonly out: (line: string) => void;
  readonly err: (text: string) => void;
}

const defaultIo: CommandIo = { out: (line) => console.log(line), err: (text) => process.stderr.write(text) };

class UsageError extends Error {}

const parseTime = (name: string, value: string | undefined): Date | undefined => {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (Number.isNaN(time.getTime())) throw new UsageError(`--${name} is not a time: ${value}`);
  return time;
};

const readPublished = (file: string): PublishedCheckpoint[] => {
  const text = readFileSync(file, 'utf8').trim();
  if (text.startsWith('[')) return JSON.parse(text) as PublishedCheckpoint[];
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as PublishedCheckpoint);
};

/** One line a person reads: what was proven, or what was found. */
export const describeVerification = (v: AuditVerification): string => {
  if (!v.ok) return `tenant ${v.tenantId}: NOT INTACT: ${v.problem} at seq ${v.firstBadSeq}: ${v.detail} (${v.records.toLocaleString('en')} records verified before it)`;
  if (v.fromSeq === null) return `tenant ${v.tenantId}: intact: no records in range${v.retentions ? `, ${v.retentions} retention deletion(s) verified` : ''}`;
  const parts = [
    `${v.records.toLocaleString('en')} records (seq ${v.fromSeq}..${v.toSeq}) from ${v.anchor === 'genesis' ? 'genesis' : v.anchor === 'retention' ? 'the retention anchor' : `the checkpoint at seq ${v.fromSeq - 1}`}`,
    `${v.checkpoints} signed checkpoint(s)${v.lastCheckpointSeq !== null ? `, the last at seq ${v.lastCheckpointSeq}` : ''}`,
  ];
  if (v.unsignedTail > 0) parts.push(`${v.unsignedTail} record(s) after the last checkpoint`);
  if (v.retentions > 0) parts.push(`${v.retentions} retention deletion(s)`);
  parts.push(v.macChecked ? 'record MACs checked' : 'public verification (no record MACs)');
  return `tenant ${v.tenantId}: intact: ${parts.join(', ')}`;
};

/** Runs the command; resolves with the exit status. */
export const auditVerifyCommand = async (args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env, io: CommandIo = defaultIo): Promise<number> => {
  let options;
  try {
    options = parseArgs({
      args: [...args],
      options: {
        tenant: { type: 'string', multiple: true },
        all: { type: 'boolean' },
        from: { type: 'string' },
        to: { type: 'string' },
        published: { type: 'string' },
        'trusted-keys': { type: 'string' },
        public: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      strict: true,
    }).values;
    if (!options.all === !options.tenant?.length) throw new UsageError('name tenants with --tenant, or verify every tenant with --all');
  } catch (error) {
    io.err(`${error instanceof Error ? error.message : String(error)}\n${AUDIT_VERIFY_USAGE}\n`);
    return 2;
  }

  const closers: (() => Promise<void>)[] = [];
  try {
    const from = parseTime('from', options.from);
    const to = parseTime('to', options.to);
    const config = controlPlaneConfigFromEnv(env);
    const signing = new Map<string, string>();
    const own = new KeyStore(config.keysDir, false).signingKey();
    signing.set(own.keyId, own.publicKeyPem);
    if (options['trusted-keys']) for (const [id, pem] of Object.entries(JSON.parse(readFileSync(options['trusted-keys'], 'utf8')) as Record<string, string>)) signing.set(id, pem);
    const keys: AuditTrustedKeys = options.public ? { signing } : { signing, mac: loadAuditMacKeys(config.keysDir, false).keys };
    const published = options.published ? readPublished(options.published) : undefined;

    const audit = await openAuditSqlForCommand(config.database);
    closers.push(() => audit.close());
    const sql = audit.sql;
    const tenants = options.all ? await auditTenants(sql) : (options.tenant ?? []);
    let failed = 0;
    for (const [index, tenantId] of tenants.entries()) {
      io.err(`\r${tenantId} (${index + 1}/${tenants.length}): verifying…   `);
      const result = await verifyAuditTrail(sql, {
        tenantId,
        keys,
        ...(from ? { from } : {}),
        ...(to ? { to } : {}),
        ...(published ? { publishedCheckpoints: published } : {}),
        onProgress: ({ records, seq }) => io.err(`\r${tenantId}: ${records.toLocaleString('en')} records verified (seq ${seq})   `),
      });
      io.err('\r\x1b[K');
      if (!result.ok) failed += 1;
      io.out(options.json ? JSON.stringify(result) : describeVerification(result));
    }
    if (!options.json) io.out(failed === 0 ? `${tenants.length} tenant(s) verified intact` : `${failed} of ${tenants.length} tenant(s) NOT intact`);
    return failed === 0 ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`${error.message}\n${AUDIT_VERIFY_USAGE}\n`);
      return 2;
    }
    io.err(`audit verify could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
};
