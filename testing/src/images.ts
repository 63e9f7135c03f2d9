import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Which container images the tests run, as chosen by scripts/infra/up.sh. */
export interface InfraImages {
  postgres: string;
  kafka: string;
}

const imagesEnvFile = fileURLToPath(new URL('../../scripts/infra/.images.env', import.meta.url));

/**
 * Reads the images chosen by `scripts/infra/up.sh` (env vars override). Fails with a clear message
 * rather than letting Testcontainers try to pull an image from a registry this machine cannot reach.
 */
export const infraImages = (): InfraImages => {
  const fromFile: Record<string, string> = {};
  if (existsSync(imagesEnvFile)) {
    for (const line of readFileSync(imagesEnvFile, 'utf8').split('\n')) {
      const match = /^([A-Z_]+)=(.*)$/.exec(line.trim());
      if (match?.[1] && match[2] !== undefined) fromFile[match[1]] = match[2];
    }
  }
  const postgres = process.env['MCPGATE_PG_IMAGE'] ?? fromFile['MCPGATE_PG_IMAGE'];
  const kafka = process.env['MCPGATE_KAFKA_IMAGE'] ?? fromFile['MCPGATE_KAFKA_IMAGE'];
  if (!postgres || !kafka) {
    throw new Error(
      `test images are not prepared: run \`npm run infra:up\` (scripts/infra/up.sh) first, ` +
        `or set MCPGATE_PG_IMAGE and MCPGATE_KAFKA_IMAGE (looked for ${imagesEnvFile})`,
    );
  }
  return { postgres, kafka };
};

/**
 * Testcontainers settings this environment needs (see ../shared/notes/testcontainers.md):
 * the host is localhost even though /.dockerenv exists, and the Ryuk reaper image cannot be pulled,
 * so every test stops its own containers.
 */
export const configureTestcontainers = (): void => {
  process.env['TESTCONTAINERS_HOST_OVERRIDE'] ??= 'localhost';
  process.env['TESTCONTAINERS_RYUK_DISABLED'] ??= 'true';
};
