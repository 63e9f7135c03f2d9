import { UpstreamServerConfig } from '@mcpgate/contracts';
import { describe, expect, it } from 'vitest';
import { validate } from '../../components/validation';
import { emptyServerForm, formFromConfig, toConfig } from './server-form-model';

describe(toConfig.name, () => {
  it('builds a configuration the contracts accept from a filled-in form', () => {
    const form = { ...emptyServerForm(['eu-west-1']), name: 'github', endpoints: [{ id: 'primary', url: 'https://mcp.example.com/mcp', command: '', args: [] }] };
    expect(validate(UpstreamServerConfig, toConfig(form))).toEqual([]);
  });

  it('reports a bad endpoint URL at the field it concerns', () => {
    const form = { ...emptyServerForm(['eu-west-1']), name: 'github', endpoints: [{ id: 'primary', url: 'not a url', command: '', args: [] }] };
    expect(validate(UpstreamServerConfig, toConfig(form)).map((i) => i.path.join('.'))).toEqual(['connection.endpoints.0.url']);
  });

  it('keeps what the form does not show (timeouts, credential, endpoint env) when editing', () => {
    const previous = {
      name: 'files',
      description: '',
      connection: { transport: 'stdio', endpoints: [{ id: 'local', command: 'node', args: ['server.js'], env: { LOG: '1' }, regions: [] }] },
      timeouts: { connectMs: 9_000, callMs: 1_000 },
      credential: { credentialId: 'cred_1', inject: { as: 'env', name: 'TOKEN' } },
      regions: ['eu-west-1'],
      tags: [],
    };
    const form = { ...formFromConfig(previous), description: 'changed' };
    expect(toConfig(form, previous)).toEqual({ ...previous, description: 'changed' });
  });
});
