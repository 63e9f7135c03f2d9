import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);

/**
 * The control plane's static configuration, read once at boot from the environment.
 * Each variable is documented here; `sensitive` ones are never logged.
 */
export const CONTROL_PLANE_ENV = {
  MCPGATE_DATA_DIR: { description: 'folder for embedded storage (PGlite read models, file event log)', sensitive: false },
  DATABASE_URL: { description: 'postgresql:// URL of the read-model database; unset = embedded PGlite under MCPGATE_DATA_DIR', sensitive: true },
  MCPGATE_API_HOST: { description: 'address the API and console listen on', sensitive: false },
  MCPGATE_API_PORT: { description: 'port of the API and console', sensitive: false },
  MCPGATE_KAFKA_BROKERS: { description: 'comma-separated host:port list; set = Kafka event log and snapshot topic, unset = embedded file log', sensitive: false },
  MCPGATE_KEYS_DIR: { description: 'folder with the signing, vault and region keys (default <data dir>/keys)', sensitive: false },
  MCPGATE_ENV: { description: '`development` (default for the embedded quickstart: missing keys are generated) or `production` (missing keys are an error)', sensitive: false },
} as const;

export const ControlPlaneConfig = z.object({
  dataDir: z.string().min(1),
  database: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('postgres'), url: z.url({ protocol: /^postgres(ql)?$/ }) }),
    z.object({ kind: z.literal('pglite'), dataDir: z.string().min(1) }),
  ]),
  api: z.object({ host: z.string().min(1), port }),
  eventLog: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('file'), dir: z.string().min(1) }),
    z.object({ kind: z.literal('kafka'), brokers: z.array(z.string().regex(/^[^\s:,]+:\d+$/, { message: 'must be host:port' })).min(1) }),
  ]),
  keysDir: z.string().min(1),
  environment: z.enum(['development', 'production']),
});
export type ControlPlaneConfig = z.infer<typeof ControlPlaneConfig>;

/**
 * Builds the configuration from environment variables (see CONTROL_PLANE_ENV) with the embedded
 * defaults: data under `.mcpgate/`, file event log, PGlite, API on 127.0.0.1:4000, development keys. Throws a ZodError naming each bad variable.
 */
export const controlPlaneConfigFromEnv = (env: Readonly<Record<string, string | undefined>>): ControlPlaneConfig => {
  const dataDir = env['MCPGATE_DATA_DIR'] || '.mcpgate';
  const databaseUrl = env['DATABASE_URL'];
  return ControlPlaneConfig.parse({
    dataDir,
    database: databaseUrl ? { kind: 'postgres', url: databaseUrl } : { kind: 'pglite', dataDir: `${dataDir}/read-models` },
    api: { host: env['MCPGATE_API_HOST'] || '127.0.0.1', port: env['MCPGATE_API_PORT'] || 4000 },
    eventLog: env['MCPGATE_KAFKA_BROKERS']
      ? { kind: 'kafka', brokers: env['MCPGATE_KAFKA_BROKERS'].split(',').map((b) => b.trim()).filter(Boolean) }
      : { kind: 'file', dir: `${dataDir}/event-log` },
    keysDir: env['MCPGATE_KEYS_DIR'] || `${dataDir}/keys`,
    environment: env['MCPGATE_ENV'] || 'development',
  });
};
