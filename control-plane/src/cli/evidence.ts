/**
 * `mcpgate evidence`: compliance evidence packs from the command line (see
 * ../audit/evidence/README.md). Configured like the server (environment variables, README.md).
 *
 *   evidence generate --tenant <id> --framework soc2|hipaa --from <ISO time> --to <ISO time> --out <pack.zip>
 *       reads the audit trail and the read models, replays the tenant's state from the event log,
 *       signs with the control plane's key; progress on stderr, one line per phase with counts
 *   evidence verify <pack.zip> [--trusted-keys <file>]
 *       checks the signature, every file's SHA-256, and that no file is missing or extra;
 *       prints "valid", or names the first bad file
 *
 * Exit status: 0 done / valid, 1 the pack is not valid, 2 usage, 3 could not run.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { auditSigner, loadAuditMacKeys } from '../audit/audit-keys.js';
import { generateEvidencePack } from '../audit/evidence/evidence-pack.js';
import { EvidenceRequestError, validateRequest, type EvidenceProgress } from '../audit/evidence/evidence-request.js';
import { verifyPack } from '../audit/evidence/verify-pack.js';
import { KeyStore } from '../infra/crypto/key-store.js';
import { openEventLog } from '../infra/open-event-log.js';
import { PointInTime } from '../point-in-time/point-in-time.js';
import type { CommandIo } from './audit-verify.js';
import { openAuditSqlForCommand } from './audit-sql.js';

export const EVIDENCE_USAGE =
  'usage: evidence generate --tenant <id> --framework soc2|hipaa --from <time> --to <time> --out <pack.zip>\n       evidence verify <pack.zip> [--trusted-keys <file>]';

const defaultIo: CommandIo = { out: (line) => console.log(line), err: (text) => process.stderr.write(text) };

class UsageError extends Error {}

const time = (name: string, value: string | undefined): Date => {
  if (!value) throw new UsageError(`--${name} is required`);
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--${name} is not a time: ${value}`);
  return at;
};

/**
 * Progress for people: on a terminal one line rewritten in place; otherwise (logs, CI, pipes) one
 * line per phase when it starts and when it ends, with its counts, and nothing in between.
 */
export const progressPrinter = (write: (text: string) => void, tty: boolean) => {
  let phase = '';
  let last: EvidenceProgress | undefined;
  const line = (p: EvidenceProgress) => `${p.phase}: ${p.done.toLocaleString('en')}/${p.total.toLocaleString('en')} (${p.percent}%)`;
  return {
    update(p: EvidenceProgress) {
      if (tty) write(`\r\x1b[K${line(p)}`);
      else if (p.phase !== phase) {
        if (last) write(`${line(last)}\n`);
        write(`${p.phase}: started\n`);
      }
      phase = p.phase;
      last = p;
    },
    end() {
      if (tty) write('\r\x1b[K');
      else if (last) write(`${line(last)}\n`);
    },
  };
};

const generate = async (args: readonly string[], env: Readonly<Record<string, string | undefined>>, io: CommandIo, tty: boolean): Promise<number> => {
  const { values } = parseArgs({
    args: [...args],
    options: { tenant: { type: 'string' }, framework: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } },
    strict: true,
  });
  if (!values.tenant) throw new UsageError('--tenant is required');
  if (!values.framework) throw new UsageError('--framework is required');
  if (!values.out) throw new UsageError('--out is required');
  const from = time('from', values.from);
  const to = time('to', values.to);
  let framework;
  try {
    framework = validateRequest(values.framework, from, to, new Date());
  } catch (error) {
    if (error instanceof EvidenceRequestError) throw new UsageError(error.message);
    throw error;
  }
  const config = controlPlaneConfigFromEnv(env);
  const closers: (() => Promise<void>)[] = [];
  try {
    const signing = new KeyStore(config.keysDir, false).signingKey();
    const keys = { signing: new Map([[signing.keyId, signing.publicKeyPem]]), mac: loadAuditMacKeys(config.keysDir, false).keys };
    const audit = await openAuditSqlForCommand(config.database);
    closers.push(() => audit.close());
    const sql = audit.sql;
    const log = await openEventLog(config.eventLog, 'mcpgate-evidence');
    closers.push(() => log.close());
    const progress = progressPrinter(io.err, tty);
    const packId = `evp_${randomBytes(10).toString('hex')}`;
    const pack = await generateEvidencePack(
      { sql, pointInTime: new PointInTime(log), keys, signer: auditSigner(signing), publicKeyPem: signing.publicKeyPem },
      { tenantId: values.tenant, framework, from, to, requestedBy: { kind: 'system', component: 'cli' } },
      { packId, generatedAt: new Date(), onProgress: (p) => progress.update(p) },
    );
    progress.end();
    writeFileSync(values.out, pack.archive);
    io.out(`wrote ${values.out}: pack ${packId}, ${pack.manifest.files.length} files, ${pack.archive.length.toLocaleString('en')} bytes, sha256 ${pack.sha256}`);
    return 0;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => {});
  }
};

const verify = (args: readonly string[], io: CommandIo): number => {
  const { values, positionals } = parseArgs({ args: [...args], options: { 'trusted-keys': { type: 'string' } }, allowPositionals: true, strict: true });
  if (positionals.length !== 1) throw new UsageError('name one pack file');
  const trustedKeys = values['trusted-keys'] ? new Map(Object.entries(JSON.parse(readFileSync(values['trusted-keys'], 'utf8')) as Record<string, string>)) : undefined;
  const result = verifyPack(readFileSync(positionals[0]!), trustedKeys ? { trustedKeys } : {});
  if (!result.ok) {
    io.out(`invalid: ${result.file}: ${result.problem}: ${result.detail}`);
    return 1;
  }
  io.out(`valid: pack ${result.packId} of tenant ${result.tenantId} (${result.framework}), ${result.files} files, signed by key ${result.keyId}${result.trusted ? ' (trusted)' : ' (the key in the manifest; pass --trusted-keys to check who signed)'}`);
  return 0;
};

/** Runs `evidence <generate|verify> …`; resolves with the exit status. */
export const evidenceCommand = async (
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>> = process.env,
  io: CommandIo = defaultIo,
  tty = Boolean(process.stderr.isTTY),
): Promise<number> => {
  const [sub, ...rest] = args;
  try {
    if (sub === 'generate') return await generate(rest, env, io, tty);
    if (sub === 'verify') return verify(rest, io);
    throw new UsageError(sub ? `unknown evidence command: ${sub}` : 'name a command: generate or verify');
  } catch (error) {
    if (error instanceof UsageError || (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS'))) {
      io.err(`${error.message}\n${EVIDENCE_USAGE}\n`);
      return 2;
    }
    io.err(`evidence ${sub ?? ''} could not run: ${error instanceof Error ? error.message : String(error)}\n`);
    return 3;
  }
};
