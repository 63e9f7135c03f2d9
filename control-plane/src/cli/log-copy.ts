/**
 * `log copy-to-kafka`: moves an embedded installation's event log (the file log under the data
 * directory) into Kafka, the one step of switching an installation from the embedded default to
 * Kafka and PostgreSQL that is not configuration (see docs/embedded-to-kafka.md).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { controlPlaneConfigFromEnv } from '@mcpgate/contracts';
import { copyEventLog, LogCopyConflictError } from '../event-log/copy-log.js';
import { EventLogError } from '../event-log/event-log.port.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import { KafkaEventLog } from '../event-log/kafka-event-log.js';

export const LOG_COPY_USAGE =
  'usage: log copy-to-kafka [--from <event-log dir>] [--brokers host:port[,host:port…]]\n' +
  '  --from     the embedded file log (default: $MCPGATE_DATA_DIR/event-log, i.e. .mcpgate/event-log)\n' +
  '  --brokers  Kafka bootstrap brokers (default: $MCPGATE_KAFKA_BROKERS)\n' +
  'Stop the embedded gateway first (the file log is locked while it runs). Safe to run again after an interruption.';

/** Runs the command; resolves to the process exit code (0 copied, 1 refused or failed, 2 usage). */
export const logCopyCommand = async (args: readonly string[], env: Readonly<Record<string, string | undefined>> = process.env): Promise<number> => {
  let options: { from?: string | undefined; brokers?: string | undefined };
  try {
    options = parseArgs({ args: [...args], options: { from: { type: 'string' }, brokers: { type: 'string' } }, strict: true, allowPositionals: false }).values;
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${LOG_COPY_USAGE}`);
    return 2;
  }
  const brokers = (options.brokers ?? env['MCPGATE_KAFKA_BROKERS'] ?? '').split(',').map((b) => b.trim()).filter(Boolean);
  if (!brokers.length) {
    console.error(`no Kafka brokers: pass --brokers or set MCPGATE_KAFKA_BROKERS\n${LOG_COPY_USAGE}`);
    return 2;
  }
  const from = options.from ?? join(controlPlaneConfigFromEnv({ ...env, MCPGATE_KAFKA_BROKERS: undefined }).dataDir, 'event-log');
  let source: FileEventLog;
  try {
    source = await FileEventLog.open({ dir: from });
  } catch (error) {
    if (!(error instanceof EventLogError)) throw error;
    console.error(`cannot open the embedded event log: ${error.message}${/locked by pid/.test(error.message) ? ' (stop the running gateway first)' : ''}`);
    return 1;
  }
  try {
    const target = await KafkaEventLog.open({ brokers, clientId: 'mcpgate-log-copy' });
    try {
      console.error(`copying the event log ${from} into Kafka (${brokers.join(', ')})`);
      const result = await copyEventLog(source, target, {
        onProgress: ({ total, done, alreadyThere, perSecond }) => {
          const percent = total ? Math.floor((done / total) * 100) : 100;
          process.stderr.write(`\rcopied ${done.toLocaleString()}/${total.toLocaleString()} records (${percent}%)${alreadyThere ? `, ${alreadyThere.toLocaleString()} already there` : ''}, ${Math.round(perSecond).toLocaleString()}/s   `);
        },
      });
      process.stderr.write('\n');
      console.log(`copied ${result.appended.toLocaleString()} records (${result.alreadyThere.toLocaleString()} were already in Kafka) of ${result.total.toLocaleString()} in ${result.seconds.toFixed(1)} s`);
      return 0;
    } catch (error) {
      if (error instanceof LogCopyConflictError) {
        console.error(`refused: ${error.message}`);
        return 1;
      }
      throw error;
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
};
