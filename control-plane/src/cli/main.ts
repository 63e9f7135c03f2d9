/**
 * Operator commands for the control plane, configured like the server (environment variables, see
 * README.md).
 *   replay        drop every read model and rebuild it from the event log, with progress (--threads N)
 *   audit verify  prove tenants' audit trails intact (see ./audit-verify.ts); exit 1 on tampering
 *   log copy-to-kafka  move an embedded installation's event log into Kafka (see ./log-copy.ts)
 *   evidence generate|verify  compliance evidence packs (see ./evidence.ts)
 */
import { parseArgs } from 'node:util';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { openDatabase } from '../infra/database/database.js';
import { openEventLog } from '../infra/open-event-log.js';
import { replayReadModels } from '../projections/replay.js';
import { AUDIT_VERIFY_USAGE, auditVerifyCommand } from './audit-verify.js';
import { LOG_COPY_USAGE, logCopyCommand } from './log-copy.js';
import { EVIDENCE_USAGE, evidenceCommand } from './evidence.js';

const REPLAY_USAGE = 'replay [--threads N]   (N: threads for a PostgreSQL read-model database, default one per core up to 8)';

const usage = `usage: mcpgate-control-plane ${REPLAY_USAGE}\n       mcpgate-control-plane ${AUDIT_VERIFY_USAGE.replace(/^usage: /, '')}\n       mcpgate-control-plane ${LOG_COPY_USAGE.replace(/^usage: /, '')}\n       mcpgate-control-plane ${EVIDENCE_USAGE.replace(/^usage: /, '').replace('\n       ', '\n       mcpgate-control-plane ')}`;

/** Resolves to the exit code (0 rebuilt, 2 usage). */
const replay = async (args: readonly string[]): Promise<number> => {
  let threads: number | undefined;
  try {
    const { values } = parseArgs({ args: [...args], options: { threads: { type: 'string' } }, strict: true, allowPositionals: false });
    if (values.threads !== undefined) {
      if (!/^[1-9][0-9]{0,2}$/.test(values.threads)) throw new Error(`--threads takes a whole number from 1 to 999, not ${JSON.stringify(values.threads)}`);
      threads = Number(values.threads);
    }
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\nusage: mcpgate-control-plane ${REPLAY_USAGE}`);
    return 2;
  }
  const config = controlPlaneConfigFromEnv(process.env);
  const log = await openEventLog(config.eventLog, 'mcpgate-replay');
  const database = await openDatabase(config.database);
  try {
    const result = await replayReadModels(log, database, {
      ...(threads === undefined ? {} : { threads }),
      onProgress: ({ phase, handled, total, perSecond, etaSeconds }) => {
        if (phase === 'indexes') {
          process.stderr.write(`\rreplayed ${handled.toLocaleString()} records; building the read models' indexes…\x1b[K`);
          return;
        }
        const percent = total ? Math.floor((handled / total) * 100) : 100;
        process.stderr.write(`\rreplaying: ${handled.toLocaleString()}/${total.toLocaleString()} records (${percent}%), ${Math.round(perSecond).toLocaleString()}/s, eta ${Math.round(etaSeconds ?? 0)} s\x1b[K`);
      },
    });
    process.stderr.write('\n');
    console.log(`rebuilt the read models from ${result.records.toLocaleString()} log records in ${result.seconds.toFixed(1)} s`);
    return 0;
  } finally {
    await database.close();
    await log.close();
  }
};

const main = async () => {
  const [command, ...rest] = process.argv.slice(2);
  if (command === 'replay') {
    process.exitCode = await replay(rest);
    return;
  }
  if (command === 'log' && rest[0] === 'copy-to-kafka') {
    process.exitCode = await logCopyCommand(rest.slice(1));
    return;
  }
  if (command === 'evidence') {
    process.exitCode = await evidenceCommand(rest);
    return;
  }
  if (command === 'audit' && rest[0] === 'verify') {
    process.exitCode = await auditVerifyCommand(rest.slice(1));
    return;
  }
  console.error(usage);
  process.exitCode = 2;
};

main().catch((error: unknown) => {
  console.error(`mcpgate-control-plane: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
