import { randomBytes, randomUUID } from 'node:crypto';
import { ControlEvent, type ControlEvent as Event } from '@mcpgate/contracts';
import { TenantModel } from '../src/domain/tenant-model.js';
import { createRegionSealer, generateRegionKeyPair } from '../src/infra/crypto/region-sealer.js';
import { generateSigningKeyPair, SnapshotSigner } from '../src/infra/crypto/snapshot-signer.js';
import { Vault } from '../src/infra/crypto/vault.js';
import { buildSnapshot } from '../src/snapshot/build-snapshot.js';

const TENANT = 'ten_snapshotbench01';

/** A tenant with 1,000 keys and 200 tools (20 upstreams × 10 tool names in 2 virtual servers), 3 sealed credentials. */
const largeTenant = (vault: Vault): TenantModel => {
  const model = new TenantModel(TENANT);
  const versions = new Map<string, number>();
  const apply = (streamId: string, type: string, data: unknown) => {
    const v = versions.get(streamId) ?? 0;
    versions.set(streamId, v + 1);
    model.apply(
      ControlEvent.parse({
        type,
        data,
        metadata: { eventId: randomUUID(), tenantId: TENANT, streamId, streamVersion: v + 1, expectedVersion: v, actor: { kind: 'system', component: 'bench' }, correlationId: 'bench', time: new Date().toISOString() },
      }) as Event,
    );
  };
  apply(`tenant-${TENANT}`, 'TenantCreated', { tenantId: TENANT, slug: 'snapshot-bench', displayName: 'Snapshot bench', regions: ['eu-west-1', 'us-east-1'] });
  for (let c = 0; c < 3; c++) {
    apply(`credential-cred_bench0000${c}`, 'CredentialStored', { credentialId: `cred_bench0000${c}`, name: `cred-${c}`, kind: 'shared', secret: vault.seal(`secret-${c}`) });
  }
  const servers = Array.from({ length: 20 }, (_, s) => `srv_bench${String(s).padStart(5, '0')}`);
  servers.forEach((serverId, s) =>
    apply(`upstream-server-${serverId}`, 'UpstreamServerRegistered', {
      serverId,
      config: {
        name: `server-${s}`,
        regions: ['eu-west-1'],
        connection: { transport: 'streamable-http', endpoints: [{ id: 'a', url: `https://s${s}.example/mcp` }, { id: 'b', url: `https://s${s}b.example/mcp` }] },
        ...(s < 3 ? { credential: { credentialId: `cred_bench0000${s}`, inject: { as: 'header', name: 'Authorization', prefix: 'Bearer ' } } } : {}),
      },
    }),
  );
  for (let v = 0; v < 2; v++) {
    apply(`virtual-server-vsr_bench0000${v}`, 'VirtualServerCreated', {
      virtualServerId: `vsr_bench0000${v}`,
      config: { name: `bundle-${v}`, upstreams: servers.slice(v * 10, v * 10 + 10).map((serverId) => ({ serverId, tools: Array.from({ length: 10 }, (_, t) => `tool_${t}`) })) },
    });
  }
  apply('policy-pol_bench00000', 'PolicyCreated', {
    policyId: 'pol_bench00000',
    name: 'default',
    document: { toolRules: Array.from({ length: 50 }, (_, r) => ({ id: `rule-${r}`, effect: r % 2 ? 'allow' : 'deny', subjects: { roles: ['developer'] }, tools: [`server-${r % 20}__tool_${r % 10}`] })) },
  });
  for (let k = 0; k < 1_000; k++) {
    apply(`virtual-key-vk_bench${String(k).padStart(6, '0')}`, 'VirtualKeyIssued', {
      keyId: `vk_bench${String(k).padStart(6, '0')}`,
      name: `key ${k}`,
      keyPrefix: 'mcpg_Benchkey',
      secretHash: randomBytes(32).toString('hex'),
      scopes: { virtualServerIds: [`vsr_bench0000${k % 2}`], tools: { allow: ['*'], deny: ['*delete*'] } },
      issuedBy: { kind: 'system', component: 'bench' },
    });
  }
  return model;
};

const stats = (samples: number[]) => {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => +s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2);
  return { p50: at(50), p99: at(99), n: s.length };
};

/** Build, sign and seal time for one large tenant, with real crypto, 50 rounds after 5 warm-ups. */
export const snapshotBench = async () => {
  const vault = new Vault({ activeKeyId: 'v1', keys: new Map([['v1', randomBytes(32)]]) });
  const regions = new Map(['eu-west-1', 'us-east-1'].map((r) => [r, { keyId: `${r}/1`, publicKeyPem: generateRegionKeyPair().publicKeyPem }]));
  const seal = createRegionSealer(vault, regions);
  const signer = new SnapshotSigner(generateSigningKeyPair('bench'));
  const tenant = largeTenant(vault);
  const build: number[] = [];
  const sign: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 55; i++) {
    const t0 = performance.now();
    const snapshot = buildSnapshot({ tenant, logPosition: '0:1', builtAt: new Date(), seal });
    const t1 = performance.now();
    const signed = signer.sign(snapshot);
    const t2 = performance.now();
    bytes = signed.payload.length;
    if (i >= 5) {
      build.push(t1 - t0);
      sign.push(t2 - t1);
    }
  }
  return { keys: 1_000, tools: 200, payloadBytes: bytes, buildMs: stats(build), signMs: stats(sign) };
};
