import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderInApp } from '../../test/render';
import { periodProblem } from './evidence-packs-panel';
import { EvidenceProgress } from './evidence-progress';

describe(EvidenceProgress.name, () => {
  it('shows a running pack with its phase in words, counts and a labelled progress bar', () => {
    renderInApp(<EvidenceProgress pack={{ id: 'ep1', status: 'RUNNING', error: null, progress: { phase: 'tool-calls', done: 1200, total: 5000, percent: 37 } }} />);
    expect(screen.getByText('running')).toBeInTheDocument();
    expect(screen.getByText('collecting tool calls (1,200 of 5,000)')).toBeInTheDocument();
    const bar = screen.getByRole('progressbar', { name: 'Evidence pack ep1: 37% (collecting tool calls)' });
    expect(bar).toHaveAttribute('aria-valuenow', '37');
  });

  it('shows no bar once the pack is done, and says what to do when it failed', () => {
    const { unmount } = renderInApp(<EvidenceProgress pack={{ id: 'ep2', status: 'SUCCEEDED', error: null, progress: { phase: 'done', done: 1, total: 1, percent: 100 } }} />);
    expect(screen.getByText('succeeded')).toBeInTheDocument();
    expect(screen.queryByRole('progressbar')).not.toBeInTheDocument();
    unmount();
    renderInApp(<EvidenceProgress pack={{ id: 'ep3', status: 'FAILED', error: 'interrupted', progress: { phase: 'report', done: 0, total: 1, percent: 80 } }} />);
    expect(screen.getByText(/stopped during the generation: generate it again/)).toBeInTheDocument();
  });
});

describe('periodProblem', () => {
  it('accepts a period of up to 400 days and names the field that is wrong otherwise', () => {
    expect(periodProblem('2026-01-01T00:00', '2026-03-31T00:00')).toBeUndefined();
    expect(periodProblem('', '2026-03-31T00:00')).toMatchObject({ field: 'from' });
    expect(periodProblem('2026-03-31T00:00', '2026-01-01T00:00')).toMatchObject({ field: 'to', message: 'The end must come after the start' });
    expect(periodProblem('2025-01-01T00:00', '2026-03-31T00:00')).toMatchObject({ field: 'to', message: 'A pack covers at most 400 days' });
  });
});
