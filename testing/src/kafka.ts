import { Kafka, logLevel, type KafkaConfig } from 'kafkajs';
import { quietKafkajsNegativeTimerWarning } from '@mcpgate/contracts';
import {
  BoundPorts,
  GenericContainer,
  getContainerRuntimeClient,
  Wait,
  waitForContainer,
  type InspectResult,
  type StartedTestContainer,
} from 'testcontainers';
import { configureTestcontainers, infraImages } from './images.js';

const CLIENT_PORT = 9093;
const LISTENERS_FILE = '/tmp/mcpgate-listeners.env';

/**
 * A single-node KRaft Kafka from the locally built image (scripts/infra/images/kafka).
 * The broker must advertise the host-mapped port, which is only known after the container has
 * started, so the image waits for a file with the listeners; `containerStarted` writes it and then
 * waits for the broker to come up.
 */
export class KafkaContainer extends GenericContainer {
  private readonly brokerReady = Wait.forLogMessage(/Kafka Server started/).withStartupTimeout(120_000);

  constructor(image: string = infraImages().kafka) {
    configureTestcontainers();
    super(image);
    this.withExposedPorts(CLIENT_PORT)
      .withLabels({ 'dev.mcpgate.test': 'true' })
      .withEnvironment({ KAFKA_WAIT_FOR_FILE: LISTENERS_FILE })
      .withWaitStrategy(Wait.forLogMessage(/mcpgate-kafka: waiting for/))
      .withStartupTimeout(120_000);
  }

  /** Extra broker settings, e.g. `{ 'log.cleaner.backoff.ms': '100' }`. */
  withBrokerConfig(config: Record<string, string>): this {
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) env[`KAFKA_CFG_${key.toUpperCase().replaceAll('.', '_')}`] = value;
    return this.withEnvironment(env);
  }

  protected override async containerStarted(container: StartedTestContainer, inspectResult: InspectResult): Promise<void> {
    const internalHost = this.networkAliases[0] ?? container.getHostname();
    const listeners = `PLAINTEXT://${container.getHost()}:${container.getMappedPort(CLIENT_PORT)},BROKER://${internalHost}:9092`;
    // written beside it and renamed into place: the image polls for the file and sources it as soon
    // as it exists, and a copy into a container is not atomic (an empty file once had the broker
    // advertise its default port, and clients dialled localhost:9093)
    const partial = `${LISTENERS_FILE}.partial`;
    await container.copyContentToContainer([{ content: `KAFKA_ADVERTISED_LISTENERS='${listeners}'\n`, target: partial, mode: 0o644 }]);
    const renamed = await container.exec(['mv', partial, LISTENERS_FILE]);
    if (renamed.exitCode !== 0) throw new Error(`could not put the Kafka listeners in place: ${renamed.output}`);
    const client = await getContainerRuntimeClient();
    const dockerContainer = client.container.getById(container.getId());
    const boundPorts = BoundPorts.fromInspectResult(client.info.containerRuntime.hostIps, inspectResult).filter([CLIENT_PORT]);
    await waitForContainer(client, dockerContainer, this.brokerReady, boundPorts);
  }
}

export interface StartedKafka {
  container: StartedTestContainer;
  /** `host:port` for clients on this machine. */
  brokers: string[];
  /** A kafkajs client for these brokers, quiet unless something is wrong. */
  client(config?: Partial<KafkaConfig>): Kafka;
  stop(): Promise<void>;
}

/** Starts a Kafka broker for one test file; call `stop()` in `afterAll` (there is no reaper). */
export const startKafka = async (configure: (c: KafkaContainer) => KafkaContainer = (c) => c): Promise<StartedKafka> => {
  const container = await configure(new KafkaContainer()).start();
  const brokers = [`${container.getHost()}:${container.getMappedPort(CLIENT_PORT)}`];
  return {
    container,
    brokers,
    client: (config = {}) => {
      quietKafkajsNegativeTimerWarning();
      return new Kafka({ clientId: 'mcpgate-test', brokers, logLevel: logLevel.NOTHING, ...config });
    },
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
};
