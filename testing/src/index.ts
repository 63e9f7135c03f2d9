export { configureTestcontainers, infraImages, type InfraImages } from './images.js';
export { KafkaContainer, startKafka, type StartedKafka } from './kafka.js';
export { createDatabaseOn, postgresContainer, startPostgres, type StartedPostgres } from './postgres.js';
export { waitUntil } from './wait-until.js';
export {
  startConformanceFixture,
  type ConformanceFixtureOptions,
  type StartedConformanceFixture,
} from './mcp/conformance-fixture.js';
export {
  runConformanceSuite,
  type ConformanceScenarioResult,
  type ConformanceSuiteOptions,
  type ConformanceSuiteResult,
} from './mcp/conformance-suite.js';
export { startRoundRobinBalancer, type StartedRoundRobinBalancer } from './mcp/round-robin-balancer.js';
export { startSplunkHecReceiver, type HecEvent, type SplunkHecReceiver, type SplunkHecReceiverOptions } from './siem/splunk-hec-receiver.js';
export { ecsProblem, startBulkReceiver, type BulkReceiver, type BulkReceiverOptions } from './siem/bulk-receiver.js';
export { startWebhookReceiver, type WebhookDelivery, type WebhookReceiver, type WebhookReceiverOptions } from './siem/webhook-receiver.js';
export { rsyslogImage, startRsyslog, type StartedRsyslog, type SyslogReceived } from './siem/rsyslog.js';
