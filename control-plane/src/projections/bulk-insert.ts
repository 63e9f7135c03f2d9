import { jsonWithBigints } from '../core/json.js';
import type { ReadModelTable } from './read-model.projection.js';
import { StateSnapshot } from './stream-states.js';

export type ColumnType = 'text' | 'text[]' | 'jsonb' | 'json' | 'int' | 'bigint' | 'boolean' | 'timestamp(3)' | 'uuid';
export type BulkTable = ReadModelTable | 'adminActivity';
export interface TableColumns {
  readonly table: string;
  readonly columns: readonly (readonly [field: string, column: string, type: ColumnType])[];
}

/** Row field → column and SQL type, per table, as declared in prisma/schema.prisma. */
export const TABLES: Record<BulkTable, TableColumns> = {
  tenant: {
    table: 'tenant',
    columns: [['id', 'id', 'text'], ['slug', 'slug', 'text'], ['displayName', 'display_name', 'text'], ['status', 'status', 'text'], ['regions', 'regions', 'text[]'], ['suspendedReason', 'suspended_reason', 'text'], ['retainUntil', 'retain_until', 'timestamp(3)'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  role: {
    table: 'role',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['description', 'description', 'text'], ['permissions', 'permissions', 'text[]'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  roleBinding: {
    table: 'role_binding',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['subjectKind', 'subject_kind', 'text'], ['subjectKey', 'subject_key', 'text'], ['subject', 'subject', 'jsonb'], ['role', 'role', 'text'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  upstreamServer: {
    table: 'upstream_server',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['transport', 'transport', 'text'], ['credentialId', 'credential_id', 'text'], ['regions', 'regions', 'text[]'], ['tags', 'tags', 'text[]'], ['config', 'config', 'jsonb'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  virtualServer: {
    table: 'virtual_server',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['prefixMode', 'prefix_mode', 'text'], ['anonymousAccess', 'anonymous_access', 'boolean'], ['serverIds', 'server_ids', 'text[]'], ['config', 'config', 'jsonb'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  virtualKey: {
    table: 'virtual_key',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['keyPrefix', 'key_prefix', 'text'], ['virtualServerIds', 'virtual_server_ids', 'text[]'], ['scopes', 'scopes', 'jsonb'], ['issuedBy', 'issued_by', 'jsonb'], ['expiresAt', 'expires_at', 'timestamp(3)'], ['rotatedAt', 'rotated_at', 'timestamp(3)'], ['revokedAt', 'revoked_at', 'timestamp(3)'], ['revokedReason', 'revoked_reason', 'text'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  policy: {
    table: 'policy',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['description', 'description', 'text'], ['document', 'document', 'jsonb'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  credential: {
    table: 'credential',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['kind', 'kind', 'text'], ['description', 'description', 'text'], ['perUserCount', 'per_user_count', 'int'], ['rotatedAt', 'rotated_at', 'timestamp(3)'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  serviceAccount: {
    table: 'service_account',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['name', 'name', 'text'], ['description', 'description', 'text'], ['permissions', 'permissions', 'text[]'], ['createdBy', 'created_by', 'jsonb'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  apiToken: {
    table: 'api_token',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['serviceAccountId', 'service_account_id', 'text'], ['tokenPrefix', 'token_prefix', 'text'], ['expiresAt', 'expires_at', 'timestamp(3)'], ['revokedAt', 'revoked_at', 'timestamp(3)'], ['revokedReason', 'revoked_reason', 'text'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  identityProvider: {
    table: 'identity_provider',
    columns: [['id', 'id', 'text'], ['tenantId', 'tenant_id', 'text'], ['identityProviderId', 'identity_provider_id', 'text'], ['issuer', 'issuer', 'text'], ['jwksUri', 'jwks_uri', 'text'], ['audiences', 'audiences', 'text[]'], ['groupsClaim', 'groups_claim', 'text'], ['status', 'status', 'text'], ['version', 'version', 'int'], ['createdAt', 'created_at', 'timestamp(3)'], ['updatedAt', 'updated_at', 'timestamp(3)']],
  },
  adminActivity: {
    table: 'admin_activity',
    columns: [['eventId', 'event_id', 'uuid'], ['tenantId', 'tenant_id', 'text'], ['streamId', 'stream_id', 'text'], ['streamVersion', 'stream_version', 'int'], ['type', 'type', 'text'], ['actor', 'actor', 'jsonb'], ['correlationId', 'correlation_id', 'text'], ['time', 'time', 'timestamp(3)'], ['data', 'data', 'json'], ['before', 'before', 'json'], ['after', 'after', 'json'], ['logPartition', 'log_partition', 'int'], ['logOffset', 'log_offset', 'bigint']],
  },
};

/** The JSON text of a json or jsonb column's value, as both writers store it (a state snapshot's is made once). */
export const jsonTextOf = (value: unknown): string => (value instanceof StateSnapshot ? value.json : jsonWithBigints(value));

/**
 * One `INSERT … SELECT FROM jsonb_to_recordset($1) ON CONFLICT DO NOTHING` for many rows: the
 * rows travel as one JSON parameter and PostgreSQL unpacks them, which is an order of magnitude
 * faster than the ORM's multi-row insert for the thousands of rows a replay batch holds. Existing
 * ids are skipped, so inserting a row twice changes nothing.
 */
export const bulkInsertStatement = (table: BulkTable, rows: readonly Record<string, unknown>[]): { sql: string; parameter: string } => {
  const spec = TABLES[table];
  const columns = spec.columns.map(([, column]) => `"${column}"`).join(', ');
  // a `json` column keeps the text it is given: it travels as a string, so the row holds exactly
  // what `JSON.stringify` wrote, as a replay's COPY writes it (through jsonb it would be reordered)
  const values = spec.columns.map(([, column, type]) => (type === 'json' ? `"${column}"::json` : `"${column}"`)).join(', ');
  const recordType = spec.columns.map(([, column, type]) => `"${column}" ${type === 'json' ? 'text' : type}`).join(', ');
  const sql = `INSERT INTO "${spec.table}" (${columns}) SELECT ${values} FROM jsonb_to_recordset($1::jsonb) AS x(${recordType}) ON CONFLICT DO NOTHING`;
  const records = rows.map((row) =>
    Object.fromEntries(spec.columns.map(([field, column, type]) => [column, row[field] === null || row[field] === undefined ? null : type === 'json' ? jsonTextOf(row[field]) : row[field]])),
  );
  const parameter = jsonWithBigints(records);
  return { sql, parameter };
};

type Row = Readonly<Record<string, unknown>>;
const isIncrement = (value: unknown): value is { increment: number } => typeof value === 'object' && value !== null && 'increment' in value;

/**
 * The pending updates of one table as a few `UPDATE … FROM jsonb_to_recordset($1)` statements, one
 * per shape of change (which columns are set, which incremented), instead of one statement per
 * row. Like a single update, each only touches a row whose version is below the change's.
 */
export const bulkUpdateStatements = (
  table: ReadModelTable,
  updates: ReadonlyMap<string, { readonly version: number; readonly set: Row }>,
): { sql: string; parameter: string }[] => {
  const spec = TABLES[table];
  const columnOf = new Map(spec.columns.map(([field, column, type]) => [field, { column, type }]));
  const columnFor = (field: string) => {
    const column = columnOf.get(field);
    if (!column) throw new Error(`no column for field ${field} of ${spec.table}`);
    return column;
  };
  const shapes = new Map<string, { fields: string[]; increments: Set<string>; records: Record<string, unknown>[] }>();
  for (const [id, { version, set }] of updates) {
    const fields = Object.keys(set).filter((field) => field !== 'version').sort();
    const increments = new Set(fields.filter((field) => isIncrement(set[field])));
    const shape = `${fields.map((f) => (increments.has(f) ? `+${f}` : f)).join(',')}`;
    const group = shapes.get(shape) ?? { fields, increments, records: [] };
    shapes.set(shape, group);
    const record: Record<string, unknown> = { id, version };
    for (const field of fields) {
      const value = set[field];
      record[columnFor(field).column] = isIncrement(value) ? value.increment : (value ?? null);
    }
    group.records.push(record);
  }
  return [...shapes.values()].map(({ fields, increments, records }) => {
    const columns = fields.map((field) => ({ field, ...columnFor(field) }));
    const assignments = [
      ...columns.map(({ field, column }) => (increments.has(field) ? `"${column}" = t."${column}" + x."${column}"` : `"${column}" = x."${column}"`)),
      '"version" = x."version"',
    ].join(', ');
    const recordType = ['"id" text', '"version" int', ...columns.map(({ column, type }) => `"${column}" ${type}`)].join(', ');
    const sql = `UPDATE "${spec.table}" AS t SET ${assignments} FROM jsonb_to_recordset($1::jsonb) AS x(${recordType}) WHERE t."id" = x."id" AND t."version" < x."version"`;
    return { sql, parameter: jsonWithBigints(records) };
  });
};
