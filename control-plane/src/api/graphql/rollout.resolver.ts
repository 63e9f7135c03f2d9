import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { Args, Field, ID, ObjectType, Query, Resolver, Subscription } from '@nestjs/graphql';
import { PubSub } from 'graphql-subscriptions';
import type { EndpointCatalogue, ProxyRollout, TenantRollout } from '../../rollout/rollout-tracker.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';

@ObjectType({ description: 'A policy snapshot version: the log position of its last change and its content hash.' })
export class SnapshotVersionNode {
  @Field(() => String) logPosition!: string;
  @Field(() => String) contentHash!: string;
}

@ObjectType({ description: 'One proxy’s view of a tenant, from its last report.' })
export class ProxyRolloutNode {
  @Field(() => String) proxyId!: string;
  @Field(() => String) region!: string;
  @Field(() => SnapshotVersionNode, { nullable: true, description: 'the snapshot it enforces' }) version!: SnapshotVersionNode | null;
  @Field(() => Date, { nullable: true, description: 'when it swapped that snapshot in' }) appliedAt!: Date | null;
  @Field(() => Date) reportedAt!: Date;
  @Field(() => Boolean, { description: 'it enforces the latest published snapshot' }) current!: boolean;
  @Field(() => Boolean, { description: 'silent for more than three report intervals: probably gone' }) stale!: boolean;
}

@ObjectType()
export class RegionRolloutNode {
  @Field(() => String) region!: string;
  @Field(() => [ProxyRolloutNode]) proxies!: ProxyRolloutNode[];
  @Field(() => Boolean, { description: 'every live proxy of the region enforces the latest snapshot' }) enforced!: boolean;
}

@ObjectType({ description: 'Where a tenant’s latest policy snapshot is enforced.' })
export class RolloutNode {
  @Field(() => ID) tenantId!: string;
  @Field(() => SnapshotVersionNode, { nullable: true, description: 'the latest snapshot published (none before the first publication since start)' }) latest!: SnapshotVersionNode | null;
  @Field(() => Date, { nullable: true }) publishedAt!: Date | null;
  @Field(() => [RegionRolloutNode]) regions!: RegionRolloutNode[];
  @Field(() => Boolean, { description: 'every live proxy that serves the tenant enforces the latest snapshot (and at least one does)' }) enforcedEverywhere!: boolean;
}

@ObjectType({ description: 'A tool as an upstream listed it to a proxy (no schemas, arguments or results).' })
export class ReportedToolNode {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) title!: string | null;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => Boolean, { nullable: true }) readOnly!: boolean | null;
  @Field(() => Boolean, { nullable: true }) idempotent!: boolean | null;
  @Field(() => Boolean, { nullable: true }) destructive!: boolean | null;
}

@ObjectType({ description: 'One upstream endpoint as one proxy last saw it.' })
export class EndpointStatusNode {
  @Field(() => String) proxyId!: string;
  @Field(() => String) region!: string;
  @Field(() => String) endpointId!: string;
  @Field(() => String, { description: 'healthy, unhealthy (circuit open or on trial) or unknown (not used yet)' }) health!: string;
  @Field(() => String, { nullable: true }) lastError!: string | null;
  @Field(() => Date, { nullable: true, description: 'when the tools below were listed' }) listedAt!: Date | null;
  @Field(() => [ReportedToolNode], { nullable: true, description: 'the tools it listed last (none until an agent listed them through this proxy)' }) tools!: ReportedToolNode[] | null;
  @Field(() => Date) reportedAt!: Date;
  @Field(() => Boolean) stale!: boolean;
}

@ObjectType({ description: 'An upstream server’s live state across proxies: health per endpoint and region, and its tool catalogue.' })
export class UpstreamServerStatusNode {
  @Field(() => ID) upstreamServerId!: string;
  @Field(() => [EndpointStatusNode]) endpoints!: EndpointStatusNode[];
  @Field(() => [ReportedToolNode], { description: 'the newest tool list any live proxy reported (empty until one did)' }) tools!: ReportedToolNode[];
  @Field(() => Date, { nullable: true }) toolsListedAt!: Date | null;
}

const version = (v: { logPosition: string; contentHash: string } | undefined): SnapshotVersionNode | null => (v ? { logPosition: v.logPosition, contentHash: v.contentHash } : null);

const proxyNode = (p: ProxyRollout): ProxyRolloutNode => ({
  proxyId: p.proxyId,
  region: p.region,
  version: version(p.version),
  appliedAt: p.appliedAt ? new Date(p.appliedAt) : null,
  reportedAt: new Date(p.reportedAt),
  current: p.current,
  stale: p.stale,
});

const rolloutNode = (r: TenantRollout): RolloutNode => ({
  tenantId: r.tenantId,
  latest: version(r.latest?.version),
  publishedAt: r.latest?.publishedAt ?? null,
  regions: r.regions.map((region) => ({ region: region.region, enforced: region.enforced, proxies: region.proxies.map(proxyNode) })),
  enforcedEverywhere: r.enforcedEverywhere,
});

const toolNode = (t: { name: string; title?: string | undefined; description?: string | undefined; readOnly?: boolean | undefined; idempotent?: boolean | undefined; destructive?: boolean | undefined }): ReportedToolNode => ({
  name: t.name,
  title: t.title ?? null,
  description: t.description ?? null,
  readOnly: t.readOnly ?? null,
  idempotent: t.idempotent ?? null,
  destructive: t.destructive ?? null,
});

const endpointNode = (e: EndpointCatalogue): EndpointStatusNode => ({
  proxyId: e.proxyId,
  region: e.region,
  endpointId: e.endpointId,
  health: e.health,
  lastError: e.lastError ?? null,
  listedAt: e.listedAt ? new Date(e.listedAt) : null,
  tools: e.tools ? e.tools.map(toolNode) : null,
  reportedAt: new Date(e.reportedAt),
  stale: e.stale,
});

const rolloutTopic = (tenantId: string) => `rollout:${tenantId}`;

/**
 * Rollout status (which proxy in which region enforces which snapshot of a tenant) and upstream
 * servers' live state, from the proxies' reports; `rolloutChanged` pushes the tenant's rollout
 * whenever a snapshot is published or a proxy reports.
 */
@Resolver()
export class RolloutResolver implements OnModuleDestroy {
  private readonly pubsub = new PubSub();
  private readonly stop: () => void;

  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {
    this.stop = runtime.rollout.watch((tenantIds) => {
      for (const tenantId of tenantIds) void this.pubsub.publish(rolloutTopic(tenantId), { rolloutChanged: rolloutNode(runtime.rollout.rollout(tenantId)) });
    });
  }

  onModuleDestroy(): void {
    this.stop();
  }

  @RequirePermission('rollout:read')
  @Query(() => RolloutNode, { description: 'where the tenant’s latest policy snapshot is enforced, per region and proxy' })
  rollout(@Args('tenantId', { type: () => ID }) tenantId: string): RolloutNode {
    return rolloutNode(this.runtime.rollout.rollout(tenantId));
  }

  @RequirePermission('server:read')
  @Query(() => UpstreamServerStatusNode, { description: 'an upstream server’s health per endpoint, proxy and region, and its live tool catalogue, as proxies report them' })
  upstreamServerStatus(@Args('tenantId', { type: () => ID }) tenantId: string, @Args('upstreamServerId', { type: () => ID }) upstreamServerId: string): UpstreamServerStatusNode {
    const latest = this.runtime.rollout.latestTools(tenantId, upstreamServerId);
    return {
      upstreamServerId,
      endpoints: this.runtime.rollout.catalogue(tenantId, upstreamServerId).map(endpointNode),
      tools: latest ? latest.tools.map(toolNode) : [],
      toolsListedAt: latest ? new Date(latest.listedAt) : null,
    };
  }

  @RequirePermission('rollout:read')
  @Subscription(() => RolloutNode, { description: 'the tenant’s rollout each time a snapshot is published or a proxy reports' })
  rolloutChanged(@Args('tenantId', { type: () => ID }) tenantId: string) {
    return this.pubsub.asyncIterableIterator(rolloutTopic(tenantId));
  }
}
