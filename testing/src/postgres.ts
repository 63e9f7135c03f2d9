import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
import { Wait } from 'testcontainers';
import { configureTestcontainers, infraImages } from './images.js';

export interface StartedPostgres {
  container: StartedPostgreSqlContainer;
  /** Connection URL of the initial database. */
  url: string;
  /** Creates a fresh, empty database on the same server and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/** Creates a fresh, empty database on the server `url` points to and returns its URL. */
export const createDatabaseOn = async (url: string, name: string): Promise<string> => {
  if (!/^[a-z][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name}`);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const next = new URL(url);
  next.pathname = `/${name}`;
  return next.toString();
};

// Docker's value for "no health check" (the module's type lists only commands)
const NO_HEALTH_CHECK = { test: ['NONE'] } as unknown as Parameters<PostgreSqlContainer['withHealthCheck']>[0];

/**
 * A PostgreSQL container that checks its readiness once, at start, and never again. Testcontainers'
 * PostgreSQL module otherwise gives the container a Docker health check that runs `pg_isready`
 * every 250 ms for as long as it lives: each run is a `docker exec` (runc, a shell, a connection),
 * and on this 2-vCPU machine that kept 16 % of the whole machine busy per container, taken from
 * whatever the tests or benchmarks were measuring. `NONE` turns the health check off; the same
 * `pg_isready` then runs as a start-up wait only. It asks over TCP, so it passes only once the real
 * server is up: the local image initialises in single-user mode, and the official image's
 * first-start server listens on its socket only.
 */
export const postgresContainer = (image: string, { database, username, password }: { database: string; username: string; password: string }): PostgreSqlContainer =>
  new PostgreSqlContainer(image)
    .withLabels({ 'dev.mcpgate.test': 'true' })
    .withDatabase(database)
    .withUsername(username)
    .withPassword(password)
    .withHealthCheck(NO_HEALTH_CHECK)
    .withWaitStrategy(
      Wait.forAll([Wait.forSuccessfulCommand(`pg_isready --host localhost --username ${username} --dbname ${database}`), Wait.forListeningPorts()]),
    );

/**
 * Starts PostgreSQL 15 from the locally built image (or the official one, when scripts/infra/up.sh
 * chose it). fsync is off: these databases are disposable and speed matters more.
 */
export const startPostgres = async (): Promise<StartedPostgres> => {
  configureTestcontainers();
  const container = await postgresContainer(infraImages().postgres, { database: 'mcpgate', username: 'mcpgate', password: 'mcpgate-test' })
    .withCommand(['postgres', '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'])
    .start();
  const url = container.getConnectionUri();
  return {
    container,
    url,
    createDatabase: (name) => createDatabaseOn(url, name),
    stop: async () => {
      await container.stop({ timeout: 5_000 });
    },
  };
};
