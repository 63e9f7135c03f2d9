/**
 * The process the shipper's kill -9 test kills: ships a spool to Kafka and kills itself with
 * SIGKILL at the moment of the worst crash, right after Kafka acknowledged batch `killAt` and
 * before the spool recorded it. Prints `A <n>` after the n-th acknowledge and, just before
 * dying, `KILL <n> <first tool> <last tool>` naming the batch Kafka has and the spool does not. Usage: shipper-child.ts <spool dir> <brokers> <region> <batchSize> <killAt>
 */
import { AuditSpool, type SpoolRecord } from '../../spool/audit-spool.js';
import { KafkaAuditShipper, type ShippableSpool } from '../kafka-audit-shipper.js';

const [dir, brokers, region, batchSize, killAt] = process.argv.slice(2);
if (!dir || !brokers || !region || !batchSize || !killAt) throw new Error('usage: shipper-child.ts <spool dir> <brokers> <region> <batchSize> <killAt>');
const spool = await AuditSpool.open({ dir, maxBytes: 64 * 1024 * 1024, segmentBytes: 256 * 1024, log: () => {} });
let acknowledges = 0;
let lastRead: SpoolRecord[] = [];
const dying: ShippableSpool = {
  acknowledged: () => spool.acknowledged(),
  readFrom: async (cursor, maxRecords, maxBytes) => (lastRead = await spool.readFrom(cursor, maxRecords, maxBytes)),
  depth: () => spool.depth(),
  waitForAppend: (ms) => spool.waitForAppend(ms),
  acknowledge: async (cursor) => {
    acknowledges++;
    if (acknowledges === Number(killAt)) {
      process.stdout.write(`KILL ${acknowledges} ${lastRead[0]?.event.tool} ${lastRead.at(-1)?.event.tool}\n`);
      process.kill(process.pid, 'SIGKILL');
    }
    await spool.acknowledge(cursor);
    process.stdout.write(`A ${acknowledges}\n`);
  },
};
new KafkaAuditShipper(dying, { brokers: brokers.split(','), region, clientId: 'shipper-child', batchSize: Number(batchSize), log: (line) => process.stderr.write(`${JSON.stringify(line)}\n`) }).start();
