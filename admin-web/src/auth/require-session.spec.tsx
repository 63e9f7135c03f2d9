import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerFetch, renderRoutes } from '../test/render';
import { LoginPage } from './login-page';
import { RequireSession } from './require-session';

const protectedRoutes = [
  { path: '/login', element: <LoginPage /> },
  { path: '/t/:tenantId/keys', element: <RequireSession><p>the keys page</p></RequireSession> },
];
const providers = { '/auth/providers': () => ({ providers: [{ id: 'okta', displayName: 'Okta', preset: 'okta' }], devLogin: true }) };

describe(RequireSession.name, () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends a visitor without a session to the login page, remembering where they were going', async () => {
    vi.stubGlobal('fetch', answerFetch({ Session: () => ({ errors: [{ message: 'sign in first', extensions: { code: 'UNAUTHENTICATED', reason: 'auth.required' } }] }), ...providers }));
    const { router } = renderRoutes(protectedRoutes, '/t/acme/keys?status=active');
    expect(await screen.findByRole('heading', { name: 'Sign in to mcpgate' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(new URLSearchParams(router.state.location.search).get('returnTo')).toBe('/t/acme/keys?status=active');
    // OIDC goes through the control plane and comes back to the same page under the console's base path
    expect(screen.getByRole('link', { name: 'Sign in with Okta' })).toHaveAttribute('href', `/auth/oidc/okta/login?returnTo=${encodeURIComponent('/t/acme/keys?status=active')}`);
    expect(screen.getByRole('button', { name: 'Use the development login' })).toBeInTheDocument();
  });

  it('shows the page to a signed-in user', async () => {
    vi.stubGlobal('fetch', answerFetch({ Session: () => ({ data: { me: { kind: 'user', subject: 'ada', groups: [], platformAdmin: true }, myPermissions: ['tenant:read'] } }) }));
    renderRoutes(protectedRoutes, '/t/acme/keys');
    expect(await screen.findByText('the keys page')).toBeInTheDocument();
  });

  it('says so when the session expired', async () => {
    vi.stubGlobal('fetch', answerFetch(providers));
    renderRoutes(protectedRoutes, '/login?expired=1&returnTo=%2Ft%2Facme%2Fkeys');
    await waitFor(() => expect(screen.getByText('Your session ended')).toBeInTheDocument());
  });
});
