import { expect } from 'vitest';

/** A GraphQL answer as the API sends it. */
export interface Answer {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * The admin API of a running control plane as tests use it: development logins (a session cookie
 * each) and GraphQL over HTTP with a cookie. `baseUrl` is read at each call, so it can be made
 * before the control plane has started.
 */
export const adminApi = (baseUrl: () => string) => ({
  /** Signs in through the development login; returns the session cookie (`name=value`). */
  login: async (body: Record<string, unknown> = {}): Promise<string> => {
    const res = await fetch(`${baseUrl()}/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  },
  gql: async (cookie: string, query: string, variables: Record<string, unknown> = {}): Promise<Answer> =>
    (await (await fetch(`${baseUrl()}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ query, variables }) })).json()) as Answer,
});

/** The answer's data, failing the test (with the errors) when there are errors. */
export const dataOf = (answer: Answer): Record<string, unknown> => {
  expect(answer.errors, JSON.stringify(answer.errors)).toBeUndefined();
  return answer.data!;
};

/** The stable error code of the answer's first error (VALIDATION, FORBIDDEN …). */
export const codeOf = (answer: Answer): unknown => answer.errors?.[0]?.extensions?.['code'];
