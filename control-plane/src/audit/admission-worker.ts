import { parentPort } from 'node:worker_threads';
import { BinaryCopyWriter } from '../infra/database/pg-binary-copy.js';
import { admitRecord } from './audit-record.js';
import { writeEventFields } from './audit-store.js';
import type { AdmissionReply, AdmissionRequest, AdmittedIds } from './admission-pool.js';

/** Room for an event's row fields besides its JSON: id, time, lengths and the query columns. */
const FIELD_BYTES_BESIDES_JSON = 512;

/**
 * One admission thread of the audit sink (`AdmissionPool`): admits the records of a request (parse,
 * schema, what PostgreSQL can store, query columns) and answers with what the main thread cannot
 * take from the bytes it holds: tenant and event id, or the refusal, and each admitted event's row
 * fields in binary COPY form (`writeEventFields`), all in one transferred buffer.
 */
parentPort?.on('message', ({ id, bytes, ends }: AdmissionRequest) => {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const results: (AdmittedIds | string)[] = [];
  const fields = new BinaryCopyWriter(bytes.byteLength + FIELD_BYTES_BESIDES_JSON * ends.length, { header: false });
  const fieldEnds = new Int32Array(ends.length);
  let start = 0;
  ends.forEach((end, i) => {
    const admitted = end < 0 ? admitRecord(null) : admitRecord(all.subarray(start, end));
    if (end >= 0) start = end;
    if (admitted.ok) {
      const { tenantId, eventId, columns, eventBytes } = admitted.event;
      writeEventFields(fields, eventId, columns, eventBytes);
      results.push([tenantId, eventId]);
    } else results.push(admitted.error);
    fieldEnds[i] = fields.length;
  });
  // a copy of its own: the writer's buffer may be a slice of a larger one, which must not be detached
  const encoded = new Uint8Array(fields.fields());
  parentPort!.postMessage({ id, results, fields: encoded, fieldEnds } satisfies AdmissionReply, [encoded.buffer, fieldEnds.buffer]);
});
