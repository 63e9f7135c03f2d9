import { PROXY_REPORTS_TOPIC, PROXY_REPORTS_TOPIC_SETTINGS } from '@mcpgate/contracts';
import type { Logger } from '../core/logger.js';
import type { LogSubscription } from '../event-log/event-log.port.js';
import { KafkaEventLog } from '../event-log/kafka-event-log.js';
import type { RolloutTracker } from './rollout-tracker.js';

/**
 * Follows the compacted topic `mcpgate.proxy.reports` from its beginning (compaction keeps the
 * last report of every proxy, so a starting control plane knows every proxy at once) and hands
 * each report to the tracker. A record that is not a report is logged and skipped.
 */
export const followProxyReports = async (
  tracker: RolloutTracker,
  options: { readonly brokers: readonly string[]; readonly logger: Logger; readonly topic?: string },
): Promise<{ close(): Promise<void> }> => {
  const log = await KafkaEventLog.open({
    brokers: [...options.brokers],
    topic: options.topic ?? PROXY_REPORTS_TOPIC,
    partitions: PROXY_REPORTS_TOPIC_SETTINGS.numPartitions,
    topicConfig: PROXY_REPORTS_TOPIC_SETTINGS.configEntries,
    clientId: 'mcpgate-control-plane-reports',
  });
  let subscription: LogSubscription | undefined;
  try {
    subscription = await log.subscribe(new Map(), async (record) => {
      let raw: unknown;
      try {
        raw = JSON.parse(record.value.toString('utf8'));
      } catch {
        raw = undefined;
      }
      const accepted = tracker.accept(raw);
      if (!accepted.ok) options.logger.warn({ key: record.key.slice(0, 100), error: accepted.error }, 'skipped a proxy report that is not one');
    });
  } catch (error) {
    await log.close();
    throw error;
  }
  return {
    close: async () => {
      await subscription?.stop();
      await log.close();
    },
  };
};
