/** The control plane's login endpoints (plain HTTP, not GraphQL): control-plane/src/api/http.controller.ts. */
export interface LoginOptions {
  readonly providers: readonly { id: string; displayName: string; preset: string }[];
  /** The development login exists only in development mode (the embedded quickstart). */
  readonly devLogin: boolean;
}

export const fetchLoginOptions = async (): Promise<LoginOptions> => {
  const response = await fetch('/auth/providers', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the control plane answered HTTP ${response.status}`);
  return (await response.json()) as LoginOptions;
};

export const devLogin = async (subject: string): Promise<void> => {
  const response = await fetch('/auth/dev-login', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ subject }),
  });
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { message?: string };
    throw new Error(body.message ?? `the development login answered HTTP ${response.status}`);
  }
};

/** Where the browser goes to sign in with an identity provider; it comes back to `returnTo`. */
export const oidcLoginUrl = (idpId: string, returnTo: string): string => `/auth/oidc/${encodeURIComponent(idpId)}/login?returnTo=${encodeURIComponent(returnTo)}`;

/** Ends the session; answers the identity provider's logout URL when it offers one. */
export const logout = async (): Promise<string | undefined> => {
  const response = await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' });
  const body = (await response.json().catch(() => ({}))) as { endSessionUrl?: string };
  return body.endSessionUrl;
};
