import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import pg from 'pg';
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

/**
 * Starts PostgreSQL 15 from the locally built image (or the official one, when scripts/infra/up.sh
 * chose it). fsync is off: these databases are disposable and speed matters more.
 */
export const startPostgres = async (): Promise<StartedPostgres> => {
  configureTestcontainers();
  const container = await new PostgreSqlContainer(infraImages().postgres)
    .withLabels({ 'dev.mcpgate.test': 'true' })
    .withDatabase('mcpgate')
    .withUsername('mcpgate')
    .withPassword('mcpgate-test')
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
