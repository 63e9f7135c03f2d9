import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createMemoryRouter, RouterProvider, type RouteObject } from 'react-router';
import { createQueryClient, Providers } from '../app';

/** Renders routes at `path` inside the app's real providers (theme, API cache, router). */
export const renderRoutes = (routes: RouteObject[], path: string) => {
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const client = createQueryClient();
  const view = render(
    <Providers client={client}>
      <RouterProvider router={router} />
    </Providers>,
  );
  return { ...view, router, client };
};

export const renderInApp = (element: ReactElement) => renderRoutes([{ path: '*', element }], '/');

/** Answers fetch calls by URL and GraphQL operation name, as the control plane would. */
export const answerFetch = (answers: Record<string, (body: { query?: string; variables?: Record<string, unknown> }) => unknown>) =>
  (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init?.body ? (JSON.parse(String(init.body)) as { query?: string; variables?: Record<string, unknown> }) : {};
    const operation = /(?:query|mutation)\s+(\w+)/.exec(body.query ?? '')?.[1];
    const answer = answers[operation ?? url];
    if (!answer) return new Response(JSON.stringify({ errors: [{ message: `unexpected ${operation ?? url}`, extensions: { code: 'NOT_FOUND' } }] }), { status: 404 });
    return new Response(JSON.stringify(answer(body)), { status: 200, headers: { 'content-type': 'application/json' } });
  }) as typeof fetch;
