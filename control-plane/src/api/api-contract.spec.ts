/**
 * The API's two contracts with the outside, pinned in files so that a change shows up in review:
 * the permission each operation needs (`permissions.snapshot.json`) and the GraphQL schema
 * (`../../schema.graphql`, what the console's client is generated from). UPDATE_GOLDEN=1 rewrites both.
 */
import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NestFactory } from '@nestjs/core';
import { GraphQLSchemaBuilderModule, GraphQLSchemaFactory } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { API_OPERATION_CLASSES, RESOLVERS } from './api.module.js';
import { PUBLIC_OPERATION, REQUIRED_PERMISSION, type PermissionRequirement } from './auth/permissions.js';

const update = process.env['UPDATE_GOLDEN'] === '1';
const snapshotFile = fileURLToPath(new URL('./permissions.snapshot.json', import.meta.url));
const schemaFile = fileURLToPath(new URL('../../schema.graphql', import.meta.url));

const declarations = () => {
  const out: Record<string, string> = {};
  const problems: string[] = [];
  for (const cls of API_OPERATION_CLASSES) {
    for (const name of Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== 'constructor').sort()) {
      const method = (cls.prototype as unknown as Record<string, object>)[name]!;
      // an operation: a GraphQL query, mutation or subscription, or an HTTP route; other methods
      // (lifecycle hooks) must not carry permission metadata either
      const isOperation = Reflect.hasMetadata('graphql:resolver_type', method) || Reflect.hasMetadata('method', method);
      const requirement = Reflect.getMetadata(REQUIRED_PERMISSION, method) as PermissionRequirement | undefined;
      const isPublic = Reflect.getMetadata(PUBLIC_OPERATION, method) === true;
      if (!isOperation) {
        if (requirement || isPublic) problems.push(`${cls.name}.${name} is no operation but declares a permission`);
        continue;
      }
      if (Boolean(requirement) === isPublic) problems.push(`${cls.name}.${name} must declare exactly one of @RequirePermission or @Public`);
      out[`${cls.name}.${name}`] = isPublic ? 'public' : `${requirement?.permission} (${requirement?.scope})`;
    }
  }
  return { out, problems };
};

describe('API contract', () => {
  it('has exactly one permission declaration per operation, as pinned in permissions.snapshot.json', () => {
    const { out, problems } = declarations();
    expect(problems).toEqual([]);
    const actual = `${JSON.stringify(out, null, 2)}\n`;
    if (update) writeFileSync(snapshotFile, actual);
    expect(actual).toBe(readFileSync(snapshotFile, 'utf8'));
  });

  it('serves the schema checked in as schema.graphql', async () => {
    const app = await NestFactory.create(GraphQLSchemaBuilderModule, { logger: false });
    try {
      const schema = await app.get(GraphQLSchemaFactory).create([...RESOLVERS]);
      const actual = `${printSchema(lexicographicSortSchema(schema))}\n`;
      if (update) writeFileSync(schemaFile, actual);
      expect(actual, 'schema.graphql is stale: run UPDATE_GOLDEN=1 npx vitest run --project control-plane:unit api-contract').toBe(readFileSync(schemaFile, 'utf8'));
    } finally {
      await app.close();
    }
  });
});
