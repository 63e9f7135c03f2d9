import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { renderInApp } from '../../test/render';
import { ToolPicker } from './tool-picker';

describe(ToolPicker.name, () => {
  const live = { tools: ['echo', 'get-sum', 'get-env'], error: null, pending: false };

  it('ticks the tools the patterns include, and writes patterns when one is unticked', async () => {
    const onChange = vi.fn();
    renderInApp(<ToolPicker serverName="everything" patterns={['get-*']} live={live} search="" onChange={onChange} />);
    expect(screen.getByRole('checkbox', { name: 'echo' })).not.toBeChecked();
    expect(screen.getByRole('checkbox', { name: 'get-sum' })).toBeChecked();
    expect(screen.getByText('2 of 3 included')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('checkbox', { name: 'get-env' }));
    expect(onChange).toHaveBeenCalledWith(['get-sum']);
  });

  it('shows only the tools matching the search', () => {
    renderInApp(<ToolPicker serverName="everything" patterns={['*']} live={live} search="sum" onChange={() => {}} />);
    expect(screen.getByRole('checkbox', { name: 'get-sum' })).toBeInTheDocument();
    expect(screen.queryByRole('checkbox', { name: 'echo' })).not.toBeInTheDocument();
  });
});
