import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderInApp } from '../../test/render';
import { IssuedSecret } from './issued-secret';

describe(IssuedSecret.name, () => {
  it('shows the secret with a copy button and client configuration for the chosen proxy URL', async () => {
    renderInApp(<IssuedSecret secret="mcpg_AbCdEfGh_s3cret" keyName="ci" tenantSlug="acme" virtualServers={['tools']} />);
    expect(screen.getByTestId('issued-secret')).toHaveTextContent('mcpg_AbCdEfGh_s3cret');
    expect(screen.getByRole('button', { name: 'Copy the secret' })).toBeInTheDocument();
    expect(screen.getByText(/only time it is shown/)).toBeInTheDocument();

    const proxyUrl = screen.getByLabelText('Proxy URL');
    await userEvent.clear(proxyUrl);
    await userEvent.type(proxyUrl, 'https://gw.example.com');
    expect(screen.getByText(/claude mcp add --transport http mcpgate-tools https:\/\/gw.example.com\/t\/acme\/mcp\/tools/)).toBeInTheDocument();

    await userEvent.click(screen.getByRole('tab', { name: 'VS Code' }));
    const panel = screen.getByRole('tabpanel');
    expect(within(panel).getByText('.vscode/mcp.json')).toBeInTheDocument();
    expect(panel).toHaveTextContent('"type": "http"');
  });
});
