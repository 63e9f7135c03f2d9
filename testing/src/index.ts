export { configureTestcontainers, infraImages, type InfraImages } from './images.js';
export { KafkaContainer, startKafka, type StartedKafka } from './kafka.js';
export { startPostgres, type StartedPostgres } from './postgres.js';
export { waitUntil } from './wait-until.js';
