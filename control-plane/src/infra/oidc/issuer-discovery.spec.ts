import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpIssuerDiscovery, metadataUrls } from './issuer-discovery.js';

describe(HttpIssuerDiscovery.name, () => {
  let server: Server;
  let origin = '';
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.writeHead(404).end();
  const requests: string[] = [];
  const json = (res: ServerResponse, body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  const sut = new HttpIssuerDiscovery({ timeoutMs: 2_000, maxBytes: 4_096, allowInsecureHttp: true });

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      handler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('tries the same metadata URLs as the MCP SDK client, in its order', () => {
    expect(metadataUrls('https://acme.okta.com/oauth2/default')).toEqual([
      'https://acme.okta.com/.well-known/oauth-authorization-server/oauth2/default',
      'https://acme.okta.com/.well-known/openid-configuration/oauth2/default',
      'https://acme.okta.com/oauth2/default/.well-known/openid-configuration',
    ]);
    expect(metadataUrls('https://idp.example')).toEqual(['https://idp.example/.well-known/oauth-authorization-server', 'https://idp.example/.well-known/openid-configuration']);
  });

  it("reads jwks_uri from the first document that exists, here the issuer's OpenID configuration", async () => {
    const issuer = `${origin}/realms/acme`;
    handler = (req, res) => (req.url === '/realms/acme/.well-known/openid-configuration' ? json(res, { issuer, jwks_uri: `${issuer}/certs` }) : res.writeHead(404).end());
    requests.length = 0;
    await expect(sut.jwksUriOf(issuer)).resolves.toBe(`${issuer}/certs`);
    expect(requests).toEqual(['/.well-known/oauth-authorization-server/realms/acme', '/.well-known/openid-configuration/realms/acme', '/realms/acme/.well-known/openid-configuration']);
  });

  it('refuses a document that names another issuer (a trailing slash counts)', async () => {
    handler = (_req, res) => json(res, { issuer: `${origin}/`, jwks_uri: `${origin}/jwks` });
    await expect(sut.jwksUriOf(origin)).rejects.toMatchObject({ code: 'VALIDATION', reason: 'identity_provider.issuer_mismatch' });
  });

  it('refuses a jwks_uri the contracts would not accept, and a document that is not JSON or too large', async () => {
    handler = (_req, res) => json(res, { issuer: origin, jwks_uri: 'http://keys.example/jwks' });
    await expect(sut.jwksUriOf(origin)).rejects.toMatchObject({ code: 'VALIDATION', reason: 'identity_provider.metadata_invalid' });
    handler = (_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>login</html>');
    await expect(sut.jwksUriOf(origin)).rejects.toMatchObject({ reason: 'identity_provider.metadata_invalid' });
    handler = (_req, res) => json(res, { issuer: origin, jwks_uri: `${origin}/jwks`, padding: 'x'.repeat(10_000) });
    await expect(sut.jwksUriOf(origin)).rejects.toMatchObject({ reason: 'identity_provider.metadata_invalid' });
  });

  it('refuses plain http outside development without fetching anything', async () => {
    requests.length = 0;
    const production = new HttpIssuerDiscovery();
    await expect(production.jwksUriOf(origin)).rejects.toMatchObject({ code: 'VALIDATION', reason: 'identity_provider.discovery_refused' });
    expect(requests).toEqual([]);
  });

  it('follows no redirect and reports an unreachable or silent issuer as UNAVAILABLE, without network details', async () => {
    handler = (_req, res) => res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    await expect(sut.jwksUriOf(origin)).rejects.toMatchObject({ code: 'UNAVAILABLE', reason: 'identity_provider.discovery_failed', message: expect.stringContaining('redirects are not followed') });
    handler = (_req, res) => res.writeHead(404).end();
    await expect(sut.jwksUriOf(origin)).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringContaining('publishes no discovery metadata') });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused: unknown = await sut.jwksUriOf(`http://127.0.0.1:${port}`).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'UNAVAILABLE', reason: 'identity_provider.discovery_failed' });
    expect((refused as Error).message).not.toMatch(/ECONNREFUSED/);
  });
});
