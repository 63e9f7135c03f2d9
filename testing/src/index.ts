export { configureTestcontainers, infraImages, type InfraImages } from './images.ts';
export { KafkaContainer, startKafka, type StartedKafka } from './kafka.ts';
export { startPostgres, type StartedPostgres } from './postgres.ts';
export { waitUntil } from './wait-until.ts';
