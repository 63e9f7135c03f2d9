import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HTTP_STATUS_BY_ERROR_CODE } from '@mcpgate/contracts';
import type { ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { DomainError } from '../../domain/domain-error.js';

/**
 * The HTTP (non-GraphQL) error mapping: typed JSON bodies `{code, reason, message}` with the
 * matching status; never a stack trace. GraphQL errors are formatted by `format-error.ts`.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    if (host.getType<string>() === 'graphql') throw error;
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const [status, body] =
      error instanceof DomainError
        ? [HTTP_STATUS_BY_ERROR_CODE[error.code], { code: error.code, reason: error.reason, message: error.message }]
        : error instanceof ZodError
          ? [400, { code: 'VALIDATION', reason: 'input.invalid', message: 'the input is not valid', issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) }]
          : error instanceof HttpException
            ? [error.getStatus(), { code: error.getStatus() === 404 ? 'NOT_FOUND' : 'VALIDATION', reason: `http.${error.getStatus()}`, message: error.message }]
            : [500, { code: 'INTERNAL', reason: 'internal.unexpected', message: 'internal error' }];
    if (status === 500) console.error(JSON.stringify({ level: 'error', source: 'http', message: error instanceof Error ? error.message : String(error) }));
    res.statusCode = status;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(body));
  }
}
