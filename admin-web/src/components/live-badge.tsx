import { Badge } from '@mantine/core';
import type { SubscriptionStatus } from '../api/subscriptions';

/** How a live subscription stands (`useApiSubscription`'s status): green when live, red once it stopped. */
export const LiveBadge = ({ status, live = 'live', stopped = 'live updates stopped', announce = false }: { status: SubscriptionStatus; live?: string; stopped?: string; announce?: boolean }) => (
  <Badge color={status === 'live' ? 'green' : status === 'error' ? 'red' : 'gray'} variant="light" {...(announce ? { 'aria-live': 'polite' as const } : {})}>
    {status === 'live' ? live : status === 'error' ? stopped : 'connecting'}
  </Badge>
);
