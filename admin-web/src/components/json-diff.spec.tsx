import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderInApp } from '../test/render';
import { JsonDiff } from './json-diff';
import { diffJson } from './json-diff-model';

describe('diffJson', () => {
  it('lines up both documents leaf by leaf and names each change', () => {
    const sut = diffJson({ name: 'ci', scopes: { tools: { allow: ['*'], deny: [] } }, status: 'active' }, { name: 'ci', scopes: { tools: { allow: ['*'], deny: ['echo'] } }, status: 'revoked', reason: 'leak' });
    expect(sut).toEqual([
      { path: 'name', before: '"ci"', after: '"ci"', status: 'unchanged' },
      { path: 'scopes.tools.allow[0]', before: '"*"', after: '"*"', status: 'unchanged' },
      { path: 'scopes.tools.deny', before: '[]', after: undefined, status: 'removed' },
      { path: 'status', before: '"active"', after: '"revoked"', status: 'changed' },
      { path: 'scopes.tools.deny[0]', before: undefined, after: '"echo"', status: 'added' },
      { path: 'reason', before: undefined, after: '"leak"', status: 'added' },
    ]);
  });

  it('treats a missing before as everything added', () => {
    expect(diffJson(undefined, { a: 1 })).toEqual([{ path: 'a', before: undefined, after: '1', status: 'added' }]);
  });
});

describe(JsonDiff.name, () => {
  it('shows before and after side by side, and can hide what did not change', async () => {
    renderInApp(<JsonDiff label="Key change" before={{ name: 'ci', status: 'active' }} after={{ name: 'ci', status: 'revoked' }} />);
    const table = screen.getByRole('table', { name: 'Key change' });
    const status = within(table).getByText('status').closest('tr')!;
    expect(status).toHaveAttribute('data-status', 'changed');
    expect(within(status).getByText('"active"')).toBeInTheDocument();
    expect(within(status).getByText('"revoked"')).toBeInTheDocument();
    expect(within(status).getByText('changed')).toBeInTheDocument();
    expect(within(table).getByText('name')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('switch', { name: 'Only what changed' }));
    expect(within(table).queryByText('name')).not.toBeInTheDocument();
    expect(within(table).getByText('status')).toBeInTheDocument();
  });
});
