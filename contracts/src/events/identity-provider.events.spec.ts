import { describe, expect, it } from 'vitest';
import { ControlCommand } from '../commands/catalogue.js';
import { IdentityProviderConfig, IssuerUrl, JwksUri, ResourceIndicator } from './identity-provider.events.js';

const config = {
  issuer: 'https://acme.okta.com/oauth2/default',
  jwksUri: 'https://acme.okta.com/oauth2/default/v1/keys',
  audiences: ['https://mcp.acme.example/t/acme/mcp/github'],
};

describe('IdentityProviderConfig', () => {
  it('accepts an https issuer and fills the default groups claim', () => {
    expect(IdentityProviderConfig.parse(config)).toEqual({ ...config, groupsClaim: 'groups' });
  });

  it('accepts plain http only on a loopback host, for test and development IdPs', () => {
    for (const ok of ['http://localhost:8080', 'http://127.0.0.1:41234', 'http://[::1]:9000/realms/dev']) expect(IssuerUrl.safeParse(ok).success, ok).toBe(true);
    for (const bad of ['http://idp.example', 'http://10.0.0.5', 'http://localhost.evil.example', 'ftp://idp.example', 'idp.example']) {
      expect(IssuerUrl.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('refuses user info and fragments everywhere, and a query in the issuer but not in the JWKS URI', () => {
    expect(IssuerUrl.safeParse('https://user:pw@idp.example').success).toBe(false);
    expect(IssuerUrl.safeParse('https://idp.example#x').success).toBe(false);
    expect(IssuerUrl.safeParse('https://idp.example?tenant=1').success).toBe(false);
    expect(JwksUri.safeParse('https://login.microsoftonline.com/common/discovery/v2.0/keys?appid=1').success).toBe(true);
    expect(JwksUri.safeParse('https://idp.example/keys#x').success).toBe(false);
  });

  it('takes as audiences only resource indicators of the proxy: <public url>/t/<tenant>/mcp/<virtual server>', () => {
    for (const ok of ['https://mcp.acme.example/t/acme/mcp/github', 'https://gw.example/mcpgate/t/acme/mcp/github', 'http://127.0.0.1:8080/t/acme/mcp/dev']) {
      expect(ResourceIndicator.safeParse(ok).success, ok).toBe(true);
    }
    for (const bad of ['api://mcpgate', 'https://mcp.acme.example', 'https://mcp.acme.example/t/acme/mcp/github/', 'https://mcp.acme.example/t/acme/mcp/Github', 'https://mcp.acme.example/mcp/github', 'https://x.example/t/acme/mcp/github?x=1']) {
      expect(ResourceIndicator.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('needs at least one audience and no repeated ones', () => {
    expect(IdentityProviderConfig.safeParse({ ...config, audiences: [] }).success).toBe(false);
    expect(IdentityProviderConfig.safeParse({ ...config, audiences: [config.audiences[0], config.audiences[0]] }).success).toBe(false);
  });
});

describe('identity provider commands', () => {
  it('parse with the slug id and defaults, and an update must change something', () => {
    expect(ControlCommand.parse({ type: 'RegisterIdentityProvider', data: { identityProviderId: 'okta', ...config } })).toMatchObject({ data: { groupsClaim: 'groups' } });
    expect(ControlCommand.safeParse({ type: 'RegisterIdentityProvider', data: { identityProviderId: 'Okta Prod', ...config } }).success).toBe(false);
    expect(ControlCommand.safeParse({ type: 'UpdateIdentityProvider', data: { identityProviderId: 'okta' } }).success).toBe(false);
    expect(ControlCommand.parse({ type: 'UpdateIdentityProvider', data: { identityProviderId: 'okta', groupsClaim: 'roles' } })).toEqual({
      type: 'UpdateIdentityProvider',
      data: { identityProviderId: 'okta', groupsClaim: 'roles' },
    });
    expect(ControlCommand.parse({ type: 'RemoveIdentityProvider', data: { identityProviderId: 'okta' } }).type).toBe('RemoveIdentityProvider');
  });
});
