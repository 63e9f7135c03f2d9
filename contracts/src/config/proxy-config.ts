import { z } from 'zod';

/**
 * The proxy's static configuration: where it listens, which region it serves, whose snapshots it
 * trusts and with which key it opens sealed secrets. Everything about tenants arrives in snapshots.
 */
export const PROXY_ENV = {
  MCPGATE_REGION: { description: 'the region this proxy serves, e.g. eu-west-1', sensitive: false },
  MCPGATE_PROXY_ID: { description: 'this replica’s name in status and audit (default: host name)', sensitive: false },
  MCPGATE_PROXY_HOST: { description: 'address the proxy listens on (default 127.0.0.1)', sensitive: false },
  MCPGATE_PROXY_PORT: { description: 'port of the proxy (default 8080)', sensitive: false },
  MCPGATE_PROXY_DATA_DIR: { description: 'where the last good snapshots are kept (default .mcpgate/proxy)', sensitive: false },
  MCPGATE_KAFKA_BROKERS: { description: 'host:port,… of Kafka (snapshot topic); unset in the single-process default', sensitive: false },
  MCPGATE_TRUSTED_SIGNING_KEYS: { description: 'JSON object: snapshot signing key id → Ed25519 public key (PEM)', sensitive: false },
  MCPGATE_REGION_KEY: { description: 'JSON {keyId, privateKeyPem}: this region’s key for sealed credentials', sensitive: true },
} as const;

export const ProxyConfig = z.object({
  region: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/),
  proxyId: z.string().min(1).max(200),
  listen: z.object({ host: z.string().min(1), port: z.coerce.number().int().min(0).max(65_535) }),
  dataDir: z.string().min(1),
  kafkaBrokers: z.array(z.string().regex(/^[^\s:,]+:\d+$/, { message: 'must be host:port' })).default([]),
  trustedSigningKeys: z.record(z.string().min(1), z.string().includes('BEGIN PUBLIC KEY')).refine((keys) => Object.keys(keys).length > 0, {
    message: 'at least one trusted signing key is needed',
  }),
  regionKey: z.object({ keyId: z.string().min(1), privateKeyPem: z.string().includes('PRIVATE KEY') }),
});
export type ProxyConfig = z.infer<typeof ProxyConfig>;
