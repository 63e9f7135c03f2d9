/**
 * The process the spool's kill -9 test kills. It emits from 16 concurrent writers and, like a
 * shipper, reads and acknowledges batches, printing to stdout (a pipe, written synchronously):
 *   E <eventId>               the emit of this event resolved
 *   S <batch> <id>,<id>,…     this batch is about to be acknowledged
 *   A <batch>                 that acknowledge resolved
 * Usage: crash-writer.ts <spool dir>
 */
import { AuditSpool } from '../audit-spool.js';
import { testEvent } from './audit-events.js';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-writer.ts <spool dir>');
const spool = await AuditSpool.open({ dir, maxBytes: 512 * 1024 * 1024, segmentBytes: 64 * 1024, log: () => {} });
let seq = 0;

const writer = async () => {
  for (;;) {
    const event = testEvent(seq++, { arguments: { padding: 'x'.repeat((seq * 7919) % 3000) } });
    await spool.emit(event);
    process.stdout.write(`E ${event.eventId}\n`);
  }
};

const shipper = async () => {
  let cursor = spool.acknowledged();
  for (let batch = 0; ; batch++) {
    const records = await spool.readFrom(cursor, 300);
    if (records.length === 0) {
      await spool.waitForAppend(100);
      continue;
    }
    cursor = records.at(-1)!.next;
    process.stdout.write(`S ${batch} ${records.map((r) => r.event.eventId).join(',')}\n`);
    await spool.acknowledge(cursor);
    process.stdout.write(`A ${batch}\n`);
  }
};

await Promise.all([...Array.from({ length: 16 }, writer), shipper()]);
