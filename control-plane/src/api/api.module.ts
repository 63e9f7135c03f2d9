import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { GraphQLModule } from '@nestjs/graphql';
import { PermissionGuard } from './auth/permission.guard.js';
import { SessionStore } from './auth/session-store.js';
import { formatError } from './errors/format-error.js';
import { HttpExceptionFilter } from './errors/http-exception.filter.js';
import { HttpController, type Readiness } from './http.controller.js';
import { MetricsController } from './metrics.controller.js';
import { graphqlMetricsPlugin } from './graphql/graphql-metrics.plugin.js';
import { AccessResolver } from './graphql/access.resolver.js';
import { AuditExporterResolver } from './graphql/audit-exporter.resolver.js';
import { CredentialResolver } from './graphql/credential.resolver.js';
import { IdentityProviderResolver } from './graphql/identity-provider.resolver.js';
import { KeyResolver } from './graphql/key.resolver.js';
import { LiveResolver } from './graphql/live.resolver.js';
import { RolloutResolver } from './graphql/rollout.resolver.js';
import { BudgetUsageResolver } from './graphql/budget-usage.resolver.js';
import { AuditResolver } from './graphql/audit.resolver.js';
import { EvidenceResolver } from './graphql/evidence.resolver.js';
import { EvidenceController } from './evidence.controller.js';
import { ViewerResolver } from './graphql/viewer.resolver.js';
import { ConsoleController } from './console.controller.js';
import { PolicyResolver } from './graphql/policy.resolver.js';
import { ServiceAccountResolver } from './graphql/service-account.resolver.js';
import { ServerResolver } from './graphql/server.resolver.js';
import { TenantResolver } from './graphql/tenant.resolver.js';
import { queryLimits } from './graphql/query-limits.js';
import type { ControlPlaneRuntime } from './runtime.js';
import { API_TOKENS, CONTROL_PLANE, OIDC_LOGIN, READINESS, SESSIONS } from './tokens.js';
import type { OidcLogin } from './auth/oidc-login.js';
import { ApiTokenIndex } from './auth/api-token-index.js';

/** Every class whose methods are API operations; each method declares one permission or is public. */
export const RESOLVERS = [
  TenantResolver,
  ServerResolver,
  KeyResolver,
  AccessResolver,
  PolicyResolver,
  CredentialResolver,
  ServiceAccountResolver,
  IdentityProviderResolver,
  LiveResolver,
  RolloutResolver,
  BudgetUsageResolver,
  AuditExporterResolver,
  AuditResolver,
  EvidenceResolver,
  ViewerResolver,
] as const;
export const API_OPERATION_CLASSES = [...RESOLVERS, HttpController, ConsoleController, MetricsController, EvidenceController] as const;

@Module({})
export class ApiModule {
  static forRoot(runtime: ControlPlaneRuntime, readiness: Readiness, oidcLogin: OidcLogin): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          path: '/graphql',
          // built in memory; schema.graphql is checked in and a test fails when it is stale
          autoSchemaFile: true,
          sortSchema: true,
          playground: false,
          introspection: runtime.environment === 'development',
          includeStacktraceInErrorResponses: false,
          formatError,
          validationRules: queryLimits,
          plugins: [graphqlMetricsPlugin(runtime.metrics.graphql)],
          // HTTP requests carry `req`; WebSocket subscriptions carry the upgrade request in `extra`,
          // whose cookie (or a connectionParams.authorization copied onto it) identifies the caller
          context: ({ req, extra }: { req?: unknown; extra?: { request?: unknown } }) => ({ req: req ?? extra?.request }),
          subscriptions: {
            'graphql-ws': {
              path: '/graphql',
              onConnect: (ctx: { connectionParams?: Record<string, unknown> | undefined; extra: unknown }) => {
                const authorization = ctx.connectionParams?.['authorization'];
                const request = (ctx.extra as { request?: IncomingMessage }).request;
                if (typeof authorization === 'string' && request) request.headers['authorization'] = authorization;
                return true;
              },
            },
          },
        }),
      ],
      controllers: [HttpController, ConsoleController, MetricsController, EvidenceController],
      providers: [
        { provide: CONTROL_PLANE, useValue: runtime },
        { provide: SESSIONS, useValue: new SessionStore(runtime.database.prisma) },
        { provide: API_TOKENS, useValue: new ApiTokenIndex(runtime.applier, runtime.apiTokenUsage) },
        { provide: READINESS, useValue: readiness },
        { provide: OIDC_LOGIN, useValue: oidcLogin },
        { provide: APP_GUARD, useClass: PermissionGuard },
        { provide: APP_FILTER, useClass: HttpExceptionFilter },
        ...RESOLVERS,
      ],
    };
  }
}
