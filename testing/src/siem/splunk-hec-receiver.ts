import { RestartableHttpServer, type HttpAnswer } from './http-receiver.js';
import { splitJsonObjects } from './json-stream.js';

/** One event as a Splunk HTTP Event Collector accepted it. */
export interface HecEvent {
  readonly time: number | undefined;
  readonly host: string | undefined;
  readonly source: string | undefined;
  readonly sourcetype: string | undefined;
  readonly index: string | undefined;
  readonly event: unknown;
  readonly fields: Readonly<Record<string, string | readonly string[]>> | undefined;
}

const KEYS = new Set(['time', 'host', 'source', 'sourcetype', 'index', 'event', 'fields']);
const answer = (status: number, code: number, text: string, extra: Record<string, unknown> = {}): HttpAnswer => ({ status, body: { text, code, ...extra } });

/**
 * Checks one HEC event object as Splunk's `/services/collector/event` does and returns the error
 * answer Splunk would give, or the parsed event.
 */
const checkEvent = (value: unknown, index: number, indexes: ReadonlySet<string> | undefined): HecEvent | HttpAnswer => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return answer(400, 6, 'Invalid data format', { 'invalid-event-number': index });
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) if (!KEYS.has(key)) return answer(400, 6, 'Invalid data format', { 'invalid-event-number': index });
  if (!('event' in o)) return answer(400, 12, 'Event field is required', { 'invalid-event-number': index });
  if (o['event'] === '' || o['event'] === null || (typeof o['event'] === 'object' && Object.keys(o['event'] as object).length === 0)) return answer(400, 13, 'Event field cannot be blank', { 'invalid-event-number': index });
  const time = o['time'];
  if (time !== undefined && !(typeof time === 'number' && Number.isFinite(time)) && !(typeof time === 'string' && /^\d+(\.\d+)?$/.test(time))) return answer(400, 6, 'Invalid data format', { 'invalid-event-number': index });
  for (const key of ['host', 'source', 'sourcetype', 'index'] as const) if (o[key] !== undefined && typeof o[key] !== 'string') return answer(400, 6, 'Invalid data format', { 'invalid-event-number': index });
  if (o['index'] !== undefined && indexes && !indexes.has(o['index'] as string)) return answer(400, 7, 'Incorrect index', { 'invalid-event-number': index });
  const fields = o['fields'];
  if (fields !== undefined) {
    if (fields === null || typeof fields !== 'object' || Array.isArray(fields)) return answer(400, 6, 'Invalid data format', { 'invalid-event-number': index });
    for (const v of Object.values(fields)) {
      const ok = typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));
      if (!ok) return answer(400, 6, 'Invalid data format', { 'invalid-event-number': index });
    }
  }
  return {
    time: time === undefined ? undefined : Number(time),
    host: o['host'] as string | undefined,
    source: o['source'] as string | undefined,
    sourcetype: o['sourcetype'] as string | undefined,
    index: o['index'] as string | undefined,
    event: o['event'],
    fields: fields as HecEvent['fields'],
  };
};

export interface SplunkHecReceiverOptions {
  /** The HEC token callers must send as `Authorization: Splunk <token>`. */
  readonly token: string;
  /** Indexes the token may write to; any when left out. */
  readonly indexes?: readonly string[];
}

export interface SplunkHecReceiver {
  /** Base URL: events go to `<url>/services/collector/event`. */
  readonly url: string;
  /** Every event accepted, in arrival order (a redelivered event appears again). */
  readonly events: HecEvent[];
  /** Requests refused, with Splunk's error code. */
  readonly refused: { status: number; code: number }[];
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A Splunk-HEC-compatible receiver that validates strictly what Splunk validates: the path, the
 * `Splunk <token>` authorization, a body of concatenated JSON event objects (not an array), the
 * allowed keys, a non-blank `event`, a numeric `time`, string `host`/`source`/`sourcetype`/`index`
 * and flat `fields` of strings. Answers with Splunk's codes (0 Success, 2 Token is required,
 * 3 Invalid authorization, 4 Invalid token, 5 No data, 6 Invalid data format, 7 Incorrect index,
 * 12 Event field is required, 13 Event field cannot be blank). A request is all or nothing.
 */
export const startSplunkHecReceiver = async (options: SplunkHecReceiverOptions): Promise<SplunkHecReceiver> => {
  const events: HecEvent[] = [];
  const refused: { status: number; code: number }[] = [];
  const indexes = options.indexes ? new Set(options.indexes) : undefined;
  const refuse = (a: HttpAnswer) => {
    refused.push({ status: a.status, code: (a.body as { code: number }).code });
    return a;
  };
  const server = new RestartableHttpServer((req, body) => {
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/services/collector/event') return refuse(answer(404, 404, 'The requested URL was not found on this server.'));
    const auth = req.headers['authorization'];
    if (!auth) return refuse(answer(401, 2, 'Token is required'));
    const match = /^Splunk (\S+)$/.exec(auth);
    if (!match) return refuse(answer(401, 3, 'Invalid authorization'));
    if (match[1] !== options.token) return refuse(answer(403, 4, 'Invalid token'));
    const text = body.toString('utf8');
    if (text.trim() === '') return refuse(answer(400, 5, 'No data'));
    const parsed = splitJsonObjects(text);
    if (!parsed.ok) return refuse(answer(400, 6, 'Invalid data format', { 'invalid-event-number': parsed.index }));
    const accepted: HecEvent[] = [];
    for (const [i, value] of parsed.values.entries()) {
      const checked = checkEvent(value, i, indexes);
      if ('status' in checked) return refuse(checked);
      accepted.push(checked);
    }
    events.push(...accepted);
    return answer(200, 0, 'Success');
  });
  await server.up();
  return {
    url: server.url,
    events,
    refused,
    down: () => server.down(),
    up: () => server.up(),
    stop: () => server.down(),
  };
};
