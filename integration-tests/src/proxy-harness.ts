/**
 * Runs real proxies for the suites: signing and region keys made here, snapshots signed and
 * sealed the way the control plane does it, delivered through the proxy's in-process channel.
 */
import { constants, createCipheriv, createHash, generateKeyPairSync, publicEncrypt, randomBytes, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PolicySnapshot, ProxyConfig, type SignedSnapshot, type SnapshotVirtualKey } from '@mcpgate/contracts';
import { startProxy, type RunningProxy } from '@mcpgate/proxy';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const signingKeys = generateKeyPairSync('ed25519');
const regionKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (key: { export(o: { type: 'spki' | 'pkcs8'; format: 'pem' }): string | Buffer }, type: 'spki' | 'pkcs8') => key.export({ type, format: 'pem' }).toString();
export const REGION = 'eu-west-1';
const REGION_KEY_ID = `${REGION}/1`;

/** Seals a credential for the test region: AES-256-GCM under a data key wrapped with RSA-OAEP-SHA256. */
export const sealSecret = (credentialId: string, secret: string) => {
  const dataKey = randomBytes(32);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', dataKey, iv);
  const ciphertext = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  const wrapped = publicEncrypt({ key: regionKeys.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, dataKey);
  return { credentialId, regionKeyId: REGION_KEY_ID, wrappedDataKey: wrapped.toString('base64'), iv: iv.toString('base64'), ciphertext: ciphertext.toString('base64'), authTag: cipher.getAuthTag().toString('base64') };
};

let offset = 0;
/** A whole tenant snapshot; defaults are filled in by the contract's schema, as the control plane's would be. */
export const tenantSnapshot = (input: { tenantId?: string; slug?: string } & Partial<Record<keyof PolicySnapshot, unknown>>): PolicySnapshot => {
  offset += 1;
  const { tenantId, slug, ...rest } = input;
  return PolicySnapshot.parse({
    schemaVersion: 1,
    tenantId: tenantId ?? 'ten_acme000000000000',
    tenantSlug: slug ?? 'acme',
    status: 'active',
    version: { logPosition: `0:${offset}`, contentHash: createHash('sha256').update(String(offset)).digest('hex') },
    builtAt: new Date().toISOString(),
    regions: [REGION],
    upstreams: [],
    virtualServers: [],
    keys: [],
    roleBindings: [],
    identityProviders: [],
    policies: [],
    secrets: [],
    ...rest,
  });
};

export const signSnapshot = (snapshot: PolicySnapshot): SignedSnapshot => {
  const payload = JSON.stringify(snapshot);
  return { payload, signature: { alg: 'Ed25519', keyId: 'cp-test', value: sign(null, Buffer.from(payload), signingKeys.privateKey).toString('base64') } };
};

/** A virtual key as the control plane issues it: the secret for the agent, the hashed record for the snapshot. */
export const virtualKey = (id: string, virtualServerIds: string[], extra: Partial<SnapshotVirtualKey> = {}): { secret: string; key: SnapshotVirtualKey } => {
  const secret = `mcpg_${randomBytes(30).toString('base64url').replace(/[^A-Za-z0-9]/g, 'x').slice(0, 40)}`;
  const key: SnapshotVirtualKey = {
    id,
    prefix: secret.slice(0, 13),
    secretHashes: [createHash('sha256').update(secret).digest('hex')],
    scopes: { virtualServerIds, tools: { allow: ['*'], deny: [] }, rateLimits: [] },
    ...extra,
  };
  return { secret, key };
};

export interface TestProxy {
  readonly proxy: RunningProxy;
  readonly url: string;
  publish(snapshot: PolicySnapshot): void;
  close(): Promise<void>;
}

/** Starts a proxy of the test region; `publish` hands it a signed snapshot as the control plane would. */
export const startTestProxy = async (options: { proxyId?: string; dataDir?: string; extra?: Partial<Record<string, unknown>> } = {}): Promise<TestProxy> => {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'mcpgate-test-proxy-'));
  const subscribers = new Set<(tenantId: string, signed: SignedSnapshot) => void>();
  const proxy = await startProxy(
    ProxyConfig.parse({
      region: REGION,
      proxyId: options.proxyId ?? 'test-proxy',
      listen: { host: '127.0.0.1', port: 0 },
      dataDir,
      trustedSigningKeys: { 'cp-test': pem(signingKeys.publicKey, 'spki') },
      regionKey: { keyId: REGION_KEY_ID, privateKeyPem: pem(regionKeys.privateKey, 'pkcs8') },
      ...options.extra,
    }),
    {
      snapshotFeed: (deliver) => {
        subscribers.add(deliver);
        return () => subscribers.delete(deliver);
      },
    },
  );
  return {
    proxy,
    url: proxy.url,
    publish: (snapshot) => {
      for (const deliver of subscribers) deliver(snapshot.tenantId, signSnapshot(snapshot));
    },
    close: async () => {
      await proxy.close();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
};

/** An SDK client connected to `url` (optionally with a bearer credential): the agent of the tests. */
export const connectAgent = async (url: string, bearer?: string, capabilities: Record<string, unknown> = {}): Promise<Client> => {
  const client = new Client({ name: 'test-agent', version: '1.0.0' }, { capabilities });
  const transport = new StreamableHTTPClientTransport(new URL(url), bearer ? { requestInit: { headers: { authorization: `Bearer ${bearer}` } } } : {});
  await client.connect(transport);
  return client;
};
