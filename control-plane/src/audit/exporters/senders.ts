import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ExporterDestination } from '@mcpgate/contracts';
import { nativeJson, type ExportRecord } from './export-record.js';
import { ExportError, safeDetail } from './exporter-error.js';
import { formatCef } from './formats/cef.js';
import { formatBulk } from './formats/ecs.js';
import { formatLeef } from './formats/leef.js';
import { toOcsfApiActivity } from './formats/ocsf.js';
import { formatSplunkHec, SPLUNK_HEC_EVENT_PATH } from './formats/splunk-hec.js';
import { formatSyslogMessage, octetCounted } from './formats/syslog.js';
import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from './formats/webhook-signature.js';
import { parseAnswer, postBatch } from './transports/http.js';
import { RotatingNdjsonFile } from './transports/ndjson-file.js';
import { sendSyslogBatch } from './transports/syslog-client.js';

/** Delivers one batch to a receiver; resolves only once the receiver acknowledged all of it. */
export interface Sender {
  send(records: readonly ExportRecord[]): Promise<void>;
  close(): Promise<void>;
}

export interface SenderContext {
  readonly tenantId: string;
  readonly exporterId: string;
  /** The plaintext of a vaulted credential; throws ExportError `export.credential_unavailable`. */
  readonly secret: (credentialId: string) => string;
  /** The operator's export folder; file exporters write under `<exportDir>/<tenant id>/<directory>/`. */
  readonly exportDir: string;
  readonly timeoutMs: number;
  readonly now: () => Date;
}

const base = (url: string) => url.replace(/\/+$/, '');

const jsonRecord = (format: 'mcpgate' | 'ocsf', record: ExportRecord) => (format === 'ocsf' ? toOcsfApiActivity(record) : nativeJson(record));

interface BulkItem {
  readonly status?: number;
  readonly error?: { type?: string; reason?: string };
}

/** The outcome of an `_bulk` answer: created and 409 (already there: a redelivery) are delivered. */
const checkBulkAnswer = (answer: unknown, expected: number) => {
  const { errors, items } = (answer ?? {}) as { errors?: boolean; items?: Record<string, BulkItem>[] };
  if (!Array.isArray(items) || items.length !== expected) throw new ExportError('export.http_status', `the bulk answer lists ${Array.isArray(items) ? items.length : 'no'} items for ${expected} documents`, true);
  if (!errors) return;
  const failed = items.map((item) => Object.values(item)[0] ?? {}).filter((item) => item.status !== undefined && item.status !== 409 && (item.status < 200 || item.status > 299));
  if (failed.length === 0) return;
  const retriable = failed.some((item) => item.status === 429 || (item.status ?? 500) >= 500);
  const first = failed[0]!;
  const detail = safeDetail(`${first.error?.type ?? ''} ${first.error?.reason ?? ''}`);
  throw new ExportError(retriable ? 'export.http_status' : 'export.rejected', `${failed.length} of ${expected} documents failed, first with ${first.status}${detail ? `: ${detail}` : ''}`, retriable);
};

/**
 * The sender for a destination. Secrets are fetched from the vault at each send (so a rotated
 * credential is used at once) and go only into the request; they never appear in an error: error
 * messages name codes, not requests, and a receiver that echoes a secret back in its error text has
 * it replaced before the message is stored or logged.
 */
export const createSender = (destination: ExporterDestination, ctx: SenderContext): Sender => {
  const used: string[] = [];
  const secret = (credentialId: string) => {
    const value = ctx.secret(credentialId);
    used.push(value);
    return value;
  };
  const sender = senderFor(destination, { ...ctx, secret });
  return {
    send: async (records) => {
      used.length = 0;
      try {
        await sender.send(records);
      } catch (error) {
        if (!(error instanceof ExportError)) throw error;
        const scrubbed = used.filter((s) => s.length >= 4).reduce((message, s) => message.split(s).join('[redacted]'), error.message);
        throw scrubbed === error.message ? error : new ExportError(error.reason, scrubbed, error.retriable);
      } finally {
        used.length = 0;
      }
    },
    close: () => sender.close(),
  };
};

const senderFor = (destination: ExporterDestination, ctx: SenderContext): Sender => {
  switch (destination.kind) {
    case 'splunk-hec': {
      const url = `${base(destination.url)}${SPLUNK_HEC_EVENT_PATH}`;
      return {
        send: async (records) => {
          const body = formatSplunkHec(records, destination);
          const token = ctx.secret(destination.tokenCredentialId);
          const headers = { authorization: `Splunk ${token}`, 'content-type': 'application/json' };
          const answer = parseAnswer(await postBatch({ url, headers, body, timeoutMs: ctx.timeoutMs, secrets: [token] })) as { code?: unknown; text?: unknown };
          if (answer.code !== 0) throw new ExportError('export.http_status', `HEC answered code ${String(answer.code)}: ${safeDetail(String(answer.text ?? ''), [token])}`, true);
        },
        close: async () => {},
      };
    }
    case 'elasticsearch': {
      const url = `${base(destination.url)}/_bulk`;
      return {
        send: async (records) => {
          const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
          const apiKey = destination.apiKeyCredentialId ? ctx.secret(destination.apiKeyCredentialId) : undefined;
          if (apiKey) headers['authorization'] = `ApiKey ${apiKey}`;
          const answer = parseAnswer(await postBatch({ url, headers, body: formatBulk(records, destination.index), timeoutMs: ctx.timeoutMs, secrets: apiKey ? [apiKey] : [] }));
          checkBulkAnswer(answer, records.length);
        },
        close: async () => {},
      };
    }
    case 'webhook':
      return {
        send: async (records) => {
          const body = JSON.stringify({
            tenantId: ctx.tenantId,
            exporterId: ctx.exporterId,
            format: destination.format,
            fromSeq: records[0]!.seq,
            toSeq: records.at(-1)!.seq,
            events: records.map((r) => jsonRecord(destination.format, r)),
          });
          const timestamp = Math.floor(ctx.now().getTime() / 1000);
          const deliveryId = randomUUID();
          const key = ctx.secret(destination.signingKeyCredentialId);
          const headers = {
            'content-type': 'application/json',
            [TIMESTAMP_HEADER]: String(timestamp),
            [DELIVERY_HEADER]: deliveryId,
            [SIGNATURE_HEADER]: signWebhook(key, timestamp, deliveryId, body),
          };
          await postBatch({ url: destination.url, headers, body, timeoutMs: ctx.timeoutMs, secrets: [key] });
        },
        close: async () => {},
      };
    case 'syslog': {
      const payload = destination.payload === 'cef' ? formatCef : formatLeef;
      return {
        send: async (records) => {
          const frames = records.map((r) => octetCounted(formatSyslogMessage(r, payload(r), destination.facility))).join('');
          await sendSyslogBatch(
            {
              host: destination.host,
              port: destination.port,
              transport: destination.transport,
              ca: destination.caCertificatePem,
              serverName: destination.serverName,
              clientCertificate: destination.clientCertificatePem,
              clientKey: destination.clientKeyCredentialId ? ctx.secret(destination.clientKeyCredentialId) : undefined,
              timeoutMs: ctx.timeoutMs,
            },
            frames,
          );
        },
        close: async () => {},
      };
    }
    case 'file': {
      const file = new RotatingNdjsonFile({
        directory: join(ctx.exportDir, ctx.tenantId, destination.directory),
        rotateBytes: destination.rotateBytes,
        rotateSeconds: destination.rotateSeconds,
        now: ctx.now,
      });
      return {
        send: (records) => file.append(records.map((r) => JSON.stringify(jsonRecord(destination.format, r))), records[0]!.seq),
        close: () => file.close(),
      };
    }
  }
};
