import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { Args, Field, ID, ObjectType, Resolver, Subscription } from '@nestjs/graphql';
import { PubSub } from 'graphql-subscriptions';
import { redact } from '../../projections/read-model.projection.js';
import { RequirePermission } from '../auth/permissions.js';
import type { ControlPlaneRuntime } from '../runtime.js';
import { CONTROL_PLANE } from '../tokens.js';
import { ActivityNode } from './types.js';

@ObjectType({ description: 'A tenant’s snapshot as published to the proxies.' })
export class SnapshotPublishedNode {
  @Field(() => ID) tenantId!: string;
  @Field(() => String, { description: '<partition>:<offset> of the last change in it' }) logPosition!: string;
  @Field(() => String) contentHash!: string;
  @Field(() => Date) publishedAt!: Date;
}

const activityTopic = (tenantId: string) => `activity:${tenantId}`;
const snapshotTopic = (tenantId: string) => `snapshot:${tenantId}`;

/**
 * Live feeds over WebSocket (graphql-ws): admin activity as it is applied, and snapshot
 * publications (per region acknowledgements join them when proxies report back). Subscriptions are
 * authorised like queries: the permission in the tenant named by `tenantId`, checked at subscribe.
 */
@Resolver()
export class LiveResolver implements OnModuleDestroy {
  private readonly pubsub = new PubSub();
  private readonly stops: (() => void)[] = [];

  constructor(@Inject(CONTROL_PLANE) runtime: ControlPlaneRuntime) {
    this.stops.push(
      runtime.applier.watch(({ commit }) => {
        for (const event of commit.events) {
          const m = event.metadata;
          const node: ActivityNode = {
            eventId: m.eventId,
            type: event.type,
            streamId: m.streamId,
            streamVersion: m.streamVersion,
            actor: m.actor as Record<string, unknown>,
            time: new Date(m.time),
            data: redact(event.data) as Record<string, unknown>,
            // the states around a change come from the projected history (`activity`), not the live feed
            before: null,
            after: null,
          };
          void this.pubsub.publish(activityTopic(commit.tenantId), { activityAdded: node });
        }
      }),
      runtime.onSnapshotPublished(({ tenantId, version, publishedAt }) => {
        const node: SnapshotPublishedNode = { tenantId, logPosition: version.logPosition, contentHash: version.contentHash, publishedAt };
        void this.pubsub.publish(snapshotTopic(tenantId), { snapshotPublished: node });
      }),
    );
  }

  onModuleDestroy(): void {
    this.stops.forEach((stop) => stop());
  }

  @RequirePermission('activity:read')
  @Subscription(() => ActivityNode, { description: 'each change to the tenant as it happens (secrets redacted; before/after are null here, `activity` has them)' })
  activityAdded(@Args('tenantId', { type: () => ID }) tenantId: string) {
    return this.pubsub.asyncIterableIterator(activityTopic(tenantId));
  }

  @RequirePermission('rollout:read')
  @Subscription(() => SnapshotPublishedNode, { description: 'each new policy snapshot of the tenant as it is published' })
  snapshotPublished(@Args('tenantId', { type: () => ID }) tenantId: string) {
    return this.pubsub.asyncIterableIterator(snapshotTopic(tenantId));
  }
}

