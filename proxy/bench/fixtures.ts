/**
 * The benchmark's tenant, made the way the control plane makes it: an Ed25519-signed snapshot
 * with one Streamable HTTP upstream, one virtual server, one virtual key (only its SHA-256 in the
 * snapshot) and one policy with a few tool rules that every call is evaluated against.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { PolicySnapshot, type PrefixMode, type SignedSnapshot, type SnapshotVirtualKey } from '@mcpgate/contracts';
import type { ProxyChildInput } from './proxy-child.js';

export const BENCH_REGION = 'bench-1';
const TENANT_ID = 'ten_bench000000000';
const SERVER_ID = 'srv_benchecho0001';
const VIRTUAL_SERVER_ID = 'vsr_benchvs00001';
const KEY_ID = 'vk_benchkey00001';
const SIGNING_KEY_ID = 'bench-cp';
const EVERYONE = { roles: [], groups: [], users: [], keys: [] };

const pem = (key: { export(options: { type: 'spki' | 'pkcs8'; format: 'pem' }): string | Buffer }, type: 'spki' | 'pkcs8') => key.export({ type, format: 'pem' }).toString();

/** A virtual key as the control plane issues it: the secret for the agent, the hashed record for the snapshot. */
const virtualKey = (): { secret: string; key: SnapshotVirtualKey } => {
  const secret = `mcpg_${randomBytes(60).toString('base64url').replace(/[^A-Za-z0-9]/g, '').slice(0, 40)}`;
  return {
    secret,
    key: {
      id: KEY_ID,
      prefix: secret.slice(0, 13),
      secretHashes: [createHash('sha256').update(secret).digest('hex')],
      scopes: { virtualServerIds: [VIRTUAL_SERVER_ID], tools: { allow: ['*'], deny: ['admin_*'] }, rateLimits: [] },
    },
  };
};

export interface BenchTenant {
  /** What the proxy child reads on stdin, but for the run's settings (`audit`). */
  readonly proxyInput: Omit<ProxyChildInput, 'audit'>;
  /** The virtual key secret agents present as `Authorization: Bearer`. */
  readonly keySecret: string;
}

/** A tenant whose only upstream is `upstreamUrl` (the echo server's `/mcp`). */
export const benchTenant = (upstreamUrl: string, prefixMode: PrefixMode): BenchTenant => {
  const signing = generateKeyPairSync('ed25519');
  const region = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { secret, key } = virtualKey();
  const snapshot = PolicySnapshot.parse({
    schemaVersion: 1,
    tenantId: TENANT_ID,
    tenantSlug: 'bench',
    status: 'active',
    version: { logPosition: '0:1', contentHash: createHash('sha256').update('bench').digest('hex') },
    builtAt: new Date().toISOString(),
    regions: [BENCH_REGION],
    upstreams: [
      {
        id: SERVER_ID,
        config: {
          name: 'echo',
          connection: { transport: 'streamable-http', endpoints: [{ id: 'primary', url: upstreamUrl }] },
          regions: [BENCH_REGION],
        },
      },
    ],
    virtualServers: [{ id: VIRTUAL_SERVER_ID, name: 'bench', prefixMode, upstreams: [{ serverId: SERVER_ID, tools: ['*'] }], anonymousAccess: false }],
    keys: [key],
    roleBindings: [],
    identityProviders: [],
    policies: [
      {
        id: 'pol_benchpolicy01',
        name: 'bench-policy',
        document: {
          toolRules: [
            { id: 'deny-destructive', effect: 'deny', subjects: EVERYONE, tools: ['delete_*', 'drop_*', 'admin_*'] },
            { id: 'deny-shell-contractors', effect: 'deny', subjects: { ...EVERYONE, groups: ['contractors'] }, tools: ['shell_*', 'exec_*'] },
            { id: 'allow-operators-write', effect: 'allow', subjects: { ...EVERYONE, roles: ['operator'] }, tools: ['write_*', 'update_*'] },
            { id: 'allow-read', effect: 'allow', subjects: EVERYONE, tools: ['read_*', 'search_*', 'get_*', 'echo'] },
          ],
          audit: { argumentCapture: 'hash', onAuditFailure: 'closed' },
        },
      },
    ],
    secrets: [],
  });
  const payload = JSON.stringify(snapshot);
  const signed: SignedSnapshot = { payload, signature: { alg: 'Ed25519', keyId: SIGNING_KEY_ID, value: sign(null, Buffer.from(payload), signing.privateKey).toString('base64') } };
  return {
    keySecret: secret,
    proxyInput: {
      tenantId: TENANT_ID,
      signed,
      config: {
        region: BENCH_REGION,
        proxyId: 'bench-proxy',
        listen: { host: '127.0.0.1', port: 0 },
        trustedSigningKeys: { [SIGNING_KEY_ID]: pem(signing.publicKey, 'spki') },
        regionKey: { keyId: `${BENCH_REGION}/1`, privateKeyPem: pem(region.privateKey, 'pkcs8') },
        // one key opens every session of the run (1,000 agents would hold many keys): the per-caller
        // new-session limit stays on the path, just out of reach
        limits: { newSessionsPerSecond: 100_000, newSessionsBurst: 1_000_000 },
      },
    },
  };
};
