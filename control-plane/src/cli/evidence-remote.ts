import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { EvidenceFramework, EvidenceProgress } from '../audit/evidence/evidence-request.js';

/** The running control plane refused or failed the request; the message says why (no secret in it). */
export class RemoteEvidenceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteEvidenceError';
  }
}

export interface RemoteEvidenceRequest {
  /** Base URL of the control plane's API, e.g. http://127.0.0.1:4000. */
  readonly server: string;
  /** A service account's API token with evidence:generate in the tenant. */
  readonly token: string;
  readonly tenantId: string;
  readonly framework: EvidenceFramework;
  readonly from: Date;
  readonly to: Date;
  readonly out: string;
  readonly onProgress: (progress: EvidenceProgress) => void;
  /** How long to wait for the job at most. Default 60 minutes. */
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

interface PackNode {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  error: string | null;
  sha256: string | null;
  bytes: number | null;
  downloadUrl: string | null;
  progress: EvidenceProgress;
}

const GENERATE = 'mutation($t: ID!, $i: GenerateEvidencePackInput!) { generateEvidencePack(tenantId: $t, input: $i) { id } }';
const PACK = 'query($t: ID!, $id: ID!) { evidencePack(tenantId: $t, id: $id) { id status error sha256 bytes downloadUrl progress { phase done total percent } } }';

/**
 * `evidence generate --server`: has a running control plane generate the pack (its job, its
 * signing key, its view of the trail) and downloads it, for when the embedded database and event
 * log are held by that running server. Authenticates with an API token from the environment, never
 * from the command line (arguments are visible to every user of the machine).
 */
export const generateThroughServer = async (request: RemoteEvidenceRequest): Promise<{ packId: string; bytes: number; sha256: string }> => {
  const base = request.server.replace(/\/+$/, '');
  const headers = { authorization: `Bearer ${request.token}`, 'content-type': 'application/json' };
  const graphql = async <T>(query: string, variables: Record<string, unknown>): Promise<T> => {
    let res: Response;
    try {
      res = await fetch(`${base}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query, variables }), signal: AbortSignal.timeout(30_000) });
    } catch (error) {
      throw new RemoteEvidenceError(`cannot reach ${base}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const body = (await res.json().catch(() => undefined)) as { data?: T; errors?: { message: string; extensions?: { code?: string; reason?: string } }[] } | undefined;
    const problem = body?.errors?.[0];
    if (problem) throw new RemoteEvidenceError(`${problem.extensions?.code ?? 'ERROR'}${problem.extensions?.reason ? ` (${problem.extensions.reason})` : ''}: ${problem.message}`);
    if (!res.ok || !body?.data) throw new RemoteEvidenceError(`the server answered ${res.status} without data`);
    return body.data;
  };

  const { generateEvidencePack: started } = await graphql<{ generateEvidencePack: { id: string } }>(GENERATE, {
    t: request.tenantId,
    i: { framework: request.framework, from: request.from.toISOString(), to: request.to.toISOString() },
  });
  const deadline = Date.now() + (request.timeoutMs ?? 60 * 60_000);
  let pack: PackNode;
  for (;;) {
    pack = (await graphql<{ evidencePack: PackNode }>(PACK, { t: request.tenantId, id: started.id })).evidencePack;
    request.onProgress(pack.progress);
    if (pack.status === 'SUCCEEDED' || pack.status === 'FAILED') break;
    if (Date.now() > deadline) throw new RemoteEvidenceError(`pack ${started.id} did not finish in time (still ${pack.status}); it may still finish on the server`);
    await new Promise((resolve) => setTimeout(resolve, request.pollMs ?? 500));
  }
  if (pack.status === 'FAILED' || !pack.downloadUrl) throw new RemoteEvidenceError(`the server could not generate pack ${pack.id}: ${pack.error ?? 'no reason given'}`);
  const res = await fetch(`${base}${pack.downloadUrl}`, { headers: { authorization: headers.authorization }, signal: AbortSignal.timeout(10 * 60_000) });
  if (!res.ok) throw new RemoteEvidenceError(`downloading pack ${pack.id} failed: ${res.status}`);
  const archive = Buffer.from(await res.arrayBuffer());
  const sha256 = createHash('sha256').update(archive).digest('hex');
  if (pack.sha256 !== null && sha256 !== pack.sha256) throw new RemoteEvidenceError(`pack ${pack.id} arrived damaged: SHA-256 ${sha256}, the server said ${pack.sha256}`);
  writeFileSync(request.out, archive);
  return { packId: pack.id, bytes: archive.length, sha256 };
};
