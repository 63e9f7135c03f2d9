import { parentPort } from 'node:worker_threads';
import { admitRecord } from './audit-record.js';
import type { AdmissionReply, AdmissionRequest, AdmittedFields } from './admission-pool.js';

/**
 * One admission thread of the audit sink (`AdmissionPool`): admits the records of a request (parse,
 * schema, what PostgreSQL can store, query columns) and answers with what the main thread cannot
 * derive from the bytes it still holds: tenant, event id and columns, or the refusal.
 */
parentPort?.on('message', ({ id, bytes, ends }: AdmissionRequest) => {
  const all = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const results: (AdmittedFields | string)[] = [];
  let start = 0;
  for (const end of ends) {
    const admitted = end < 0 ? admitRecord(null) : admitRecord(all.subarray(start, end));
    results.push(admitted.ok ? [admitted.event.tenantId, admitted.event.eventId, admitted.event.columns] : admitted.error);
    if (end >= 0) start = end;
  }
  parentPort!.postMessage({ id, results } satisfies AdmissionReply);
});
