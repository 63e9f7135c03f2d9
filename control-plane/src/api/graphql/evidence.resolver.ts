import { Inject } from '@nestjs/common';
import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { describeActor, EvidenceRequestError, validateRequest } from '../../audit/evidence/evidence-request.js';
import type { EvidencePackRow } from '../../audit/evidence/evidence-store.js';
import { DomainError } from '../../domain/domain-error.js';
import type { ApiRequest } from '../auth/permission.guard.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import type { EvidenceFrameworkEnum, EvidencePackStatusEnum } from './evidence.types.js';
import { EvidencePackConnection, EvidencePackNode, GenerateEvidencePackInput } from './evidence.types.js';
import { pageSize } from './page-size.js';

/** Where a pack's archive is downloaded (the evidence controller), relative to the API. */
export const evidenceDownloadPath = (tenantId: string, packId: string) => `/evidence-packs/${encodeURIComponent(tenantId)}/${encodeURIComponent(packId)}.zip`;

export const toEvidencePackNode = (row: EvidencePackRow): EvidencePackNode => ({
  id: row.id,
  tenantId: row.tenantId,
  framework: row.framework as EvidenceFrameworkEnum,
  from: row.from,
  to: row.to,
  status: row.status.toUpperCase() as EvidencePackStatusEnum,
  progress: row.progress,
  sha256: row.sha256,
  bytes: row.bytes,
  error: row.error,
  requestedBy: describeActor(row.requestedBy),
  createdAt: row.createdAt,
  finishedAt: row.finishedAt,
  downloadUrl: row.status === 'succeeded' ? evidenceDownloadPath(row.tenantId, row.id) : null,
});

const PACK_ID = /^evp_[0-9a-f]{20}$/;

/**
 * Compliance evidence packs (src/audit/evidence/README.md): ask for one, follow its progress, list
 * a tenant's packs. Everything needs `evidence:generate` in the tenant named by `tenantId`; another
 * tenant's id answers FORBIDDEN like an unknown one, another tenant's pack id NOT_FOUND.
 */
@Resolver(() => EvidencePackNode)
export class EvidenceResolver {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @RequirePermission('evidence:generate')
  @Mutation(() => EvidencePackNode, { description: 'starts generating a signed evidence pack for the tenant, framework and period; poll evidencePack for progress' })
  async generateEvidencePack(
    @Context('req') req: ApiRequest,
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('input', { type: () => GenerateEvidencePackInput }) input: GenerateEvidencePackInput,
  ): Promise<EvidencePackNode> {
    const principal = req.principal;
    if (!principal) throw new DomainError('UNAUTHENTICATED', 'auth.required', 'sign in first');
    const tenant = this.runtime.applier.tenant(tenantId);
    if (!tenant || tenant.tenant.status === 'absent' || tenant.tenant.status === 'deleted') throw new DomainError('NOT_FOUND', 'tenant.not_found', `tenant ${tenantId} does not exist`, { id: tenantId });
    let framework;
    try {
      framework = validateRequest(input.framework, input.from, input.to, new Date());
    } catch (error) {
      if (error instanceof EvidenceRequestError) throw new DomainError('VALIDATION', error.reason, error.message);
      throw error;
    }
    const row = await this.runtime.evidence.request({ tenantId, framework, from: input.from, to: input.to, requestedBy: principal.actor });
    return toEvidencePackNode(row);
  }

  @RequirePermission('evidence:generate')
  @Query(() => EvidencePackConnection, { description: "the tenant's evidence packs, newest first" })
  async evidencePacks(
    @Args('tenantId', { type: () => ID }) tenantId: string,
    @Args('first', { type: () => Int, defaultValue: 20 }) first: number,
    @Args('after', { type: () => String, nullable: true, description: 'endCursor of the previous page' }) after: string | null,
  ): Promise<EvidencePackConnection> {
    if (after !== null && after !== undefined && !PACK_ID.test(after)) throw new DomainError('VALIDATION', 'page.invalid_cursor', 'after must be the endCursor of a previous page');
    const page = await this.runtime.evidence.list(tenantId, pageSize(first), after ?? undefined);
    return { nodes: page.rows.map(toEvidencePackNode), pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.rows.at(-1)?.id ?? null }, totalCount: page.total };
  }

  @RequirePermission('evidence:generate')
  @Query(() => EvidencePackNode, { description: 'one evidence pack of the tenant with its status and progress' })
  async evidencePack(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('id', { type: () => ID }) id: string): Promise<EvidencePackNode> {
    const row = PACK_ID.test(id) ? await this.runtime.evidence.get(tenantId, id) : undefined;
    if (!row) throw new DomainError('NOT_FOUND', 'evidence_pack.not_found', `evidence pack ${id} does not exist`, { id });
    return toEvidencePackNode(row);
  }
}
