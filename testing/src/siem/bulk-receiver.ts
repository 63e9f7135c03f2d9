import { RestartableHttpServer, type HttpAnswer } from './http-receiver.js';

/** ECS 8.x allowed values of the categorization fields. */
const ECS_KIND = new Set(['alert', 'asset', 'enrichment', 'event', 'metric', 'state', 'pipeline_error', 'signal']);
const ECS_CATEGORY = new Set(['api', 'authentication', 'configuration', 'database', 'driver', 'email', 'file', 'host', 'iam', 'intrusion_detection', 'library', 'malware', 'network', 'package', 'process', 'registry', 'session', 'threat', 'vulnerability', 'web']);
const ECS_TYPE = new Set(['access', 'admin', 'allowed', 'change', 'connection', 'creation', 'deletion', 'denied', 'end', 'error', 'group', 'indicator', 'info', 'installation', 'protocol', 'start', 'user']);
const ECS_OUTCOME = new Set(['failure', 'success', 'unknown']);
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

const invalidIndex = (name: string) => !/^[a-z0-9][a-z0-9._+-]*$/.test(name) || name.length > 255 || name === '.' || name === '..';

/** Why a document is not ECS as the exporters promise it, or undefined. */
export const ecsProblem = (doc: Record<string, unknown>): string | undefined => {
  const ts = doc['@timestamp'];
  if (typeof ts !== 'string' || !ISO.test(ts) || Number.isNaN(Date.parse(ts))) return '@timestamp must be an ISO 8601 date';
  const ecs = doc['ecs'] as { version?: unknown } | undefined;
  if (typeof ecs?.version !== 'string' || !/^\d+\.\d+\.\d+/.test(ecs.version)) return 'ecs.version must be a version';
  const event = doc['event'] as Record<string, unknown> | undefined;
  if (!event || typeof event !== 'object') return 'event must be an object';
  if (!ECS_KIND.has(event['kind'] as string)) return `event.kind ${String(event['kind'])} is not an ECS value`;
  for (const [field, allowed] of [['category', ECS_CATEGORY], ['type', ECS_TYPE]] as const) {
    const v = event[field];
    if (!Array.isArray(v) || v.length === 0 || !v.every((x) => allowed.has(x as string))) return `event.${field} ${JSON.stringify(v)} is not a list of ECS values`;
  }
  if (event['outcome'] !== undefined && !ECS_OUTCOME.has(event['outcome'] as string)) return `event.outcome ${String(event['outcome'])} is not an ECS value`;
  if (typeof event['id'] !== 'string' || event['id'] === '') return 'event.id must be a string';
  if (event['duration'] !== undefined && !Number.isInteger(event['duration'])) return 'event.duration must be an integer (nanoseconds)';
  const user = doc['user'] as Record<string, unknown> | undefined;
  if (user !== undefined && (typeof user !== 'object' || (user['id'] !== undefined && typeof user['id'] !== 'string'))) return 'user.id must be a string';
  for (const key of Object.keys(doc)) if (key === '' || key.startsWith('.') || key.endsWith('.') || key.includes('..')) return `field name ${JSON.stringify(key)} is invalid`;
  return undefined;
};

export interface BulkReceiverOptions {
  /** The API key callers must send as `Authorization: ApiKey <key>`; none = an open cluster. */
  readonly apiKey?: string;
}

export interface BulkReceiver {
  /** Base URL: bulk requests go to `<url>/_bulk`. */
  readonly url: string;
  /** Stored documents per index, by `_id`, in the order they were first created. */
  documents(index: string): Map<string, Record<string, unknown>>;
  /** Per-item outcomes of every request, e.g. 201 created, 409 already there. */
  readonly itemStatuses: number[];
  /** Requests refused as a whole, with the reason. */
  readonly refused: { status: number; type: string }[];
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

const error = (status: number, type: string, reason: string): HttpAnswer => ({ status, body: { error: { root_cause: [{ type, reason }], type, reason }, status } });

/**
 * An Elasticsearch-/OpenSearch-`_bulk`-compatible receiver (no Elasticsearch or OpenSearch server is
 * available from Debian's or npm's packages here). It checks what the bulk API checks: POST to
 * `/_bulk`, `Content-Type: application/x-ndjson`, the body ends with a newline, each action line is
 * one of index/create/update/delete with a valid lowercase `_index`, each index/create action is
 * followed by a JSON object source line; `create` of an existing `_id` is a 409
 * version_conflict_engine_exception per item; and each document must be ECS as mcpgate promises
 * (`ecsProblem`), refused per item with 400 mapper_parsing_exception otherwise. Answers like
 * Elasticsearch: `{ took, errors, items: [{ create: { _index, _id, status, result | error } }] }`.
 */
export const startBulkReceiver = async (options: BulkReceiverOptions = {}): Promise<BulkReceiver> => {
  const indexes = new Map<string, Map<string, Record<string, unknown>>>();
  const itemStatuses: number[] = [];
  const refused: { status: number; type: string }[] = [];
  const refuse = (a: HttpAnswer) => {
    refused.push({ status: a.status, type: (a.body as { error: { type: string } }).error.type });
    return a;
  };
  const server = new RestartableHttpServer((req, body) => {
    if (req.method !== 'POST' && req.method !== 'PUT') return refuse(error(405, 'method_not_allowed', 'bulk needs POST or PUT'));
    if ((req.url ?? '').split('?')[0] !== '/_bulk') return refuse(error(404, 'resource_not_found_exception', `no handler for ${req.url}`));
    if (options.apiKey !== undefined && req.headers['authorization'] !== `ApiKey ${options.apiKey}`) return refuse(error(401, 'security_exception', 'missing or wrong authentication credentials'));
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (contentType !== 'application/x-ndjson' && contentType !== 'application/json') return refuse(error(406, 'content_type_not_supported', `Content-Type header [${contentType}] is not supported`));
    const text = body.toString('utf8');
    if (!text.endsWith('\n')) return refuse(error(400, 'illegal_argument_exception', 'The bulk request must be terminated by a newline [\\n]'));
    const lines = text.slice(0, -1).split('\n');
    const operations: { action: string; index: string; id: string | undefined; source: Record<string, unknown> | undefined }[] = [];
    for (let i = 0; i < lines.length; i++) {
      let action: unknown;
      try {
        action = JSON.parse(lines[i]!);
      } catch {
        return refuse(error(400, 'x_content_parse_exception', `line ${i + 1}: not JSON`));
      }
      const entries = action && typeof action === 'object' && !Array.isArray(action) ? Object.entries(action) : [];
      if (entries.length !== 1 || !['index', 'create', 'update', 'delete'].includes(entries[0]![0])) return refuse(error(400, 'illegal_argument_exception', `line ${i + 1}: malformed action/metadata line`));
      const [name, meta] = entries[0]! as [string, { _index?: unknown; _id?: unknown }];
      if (typeof meta?._index !== 'string' || invalidIndex(meta._index)) return refuse(error(400, 'invalid_index_name_exception', `line ${i + 1}: invalid index name`));
      if (meta._id !== undefined && (typeof meta._id !== 'string' || meta._id === '' || Buffer.byteLength(meta._id) > 512)) return refuse(error(400, 'illegal_argument_exception', `line ${i + 1}: invalid _id`));
      let source: Record<string, unknown> | undefined;
      if (name !== 'delete') {
        i++;
        if (i >= lines.length) return refuse(error(400, 'illegal_argument_exception', 'the bulk request ends without a source line'));
        try {
          source = JSON.parse(lines[i]!) as Record<string, unknown>;
        } catch {
          return refuse(error(400, 'x_content_parse_exception', `line ${i + 1}: source is not JSON`));
        }
        if (!source || typeof source !== 'object' || Array.isArray(source)) return refuse(error(400, 'x_content_parse_exception', `line ${i + 1}: source is not an object`));
      }
      operations.push({ action: name, index: meta._index, id: meta._id as string | undefined, source });
    }
    const items = operations.map(({ action, index, id, source }) => {
      const docs = indexes.get(index) ?? new Map<string, Record<string, unknown>>();
      indexes.set(index, docs);
      const docId = id ?? `auto-${docs.size + 1}`;
      const problem = source ? ecsProblem(source) : undefined;
      let status: number;
      let result: Record<string, unknown>;
      if (problem) {
        status = 400;
        result = { error: { type: 'mapper_parsing_exception', reason: problem } };
      } else if (action === 'create' && docs.has(docId)) {
        status = 409;
        result = { error: { type: 'version_conflict_engine_exception', reason: `[${docId}]: version conflict, document already exists` } };
      } else if (action === 'delete') {
        status = docs.delete(docId) ? 200 : 404;
        result = { result: status === 200 ? 'deleted' : 'not_found' };
      } else {
        status = docs.has(docId) ? 200 : 201;
        docs.set(docId, source!);
        result = { result: status === 201 ? 'created' : 'updated' };
      }
      itemStatuses.push(status);
      return { [action]: { _index: index, _id: docId, status, ...result } };
    });
    return { status: 200, body: { took: 1, errors: items.some((item) => { const s = (Object.values(item)[0] as { status: number }).status; return s >= 300; }), items } };
  });
  await server.up();
  return {
    url: server.url,
    documents: (index) => indexes.get(index) ?? new Map(),
    itemStatuses,
    refused,
    down: () => server.down(),
    up: () => server.up(),
    stop: () => server.down(),
  };
};
