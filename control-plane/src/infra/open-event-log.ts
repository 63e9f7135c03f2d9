import { mkdirSync } from 'node:fs';
import type { ControlPlaneConfig } from '@mcpgate/contracts';
import type { EventLog } from '../event-log/event-log.port.js';
import { FileEventLog } from '../event-log/file-event-log.js';
import { KafkaEventLog } from '../event-log/kafka-event-log.js';

/** Opens the event log the configuration names: Kafka in production, the embedded file log otherwise. */
export const openEventLog = async (config: ControlPlaneConfig['eventLog'], clientId = 'mcpgate-control-plane'): Promise<EventLog> => {
  if (config.kind === 'kafka') return KafkaEventLog.open({ brokers: config.brokers, clientId });
  mkdirSync(config.dir, { recursive: true });
  return FileEventLog.open({ dir: config.dir });
};
