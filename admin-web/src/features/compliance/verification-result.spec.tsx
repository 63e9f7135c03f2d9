import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderInApp } from '../../test/render';
import { VerificationResult } from './verification-result';

const base = { ok: true, records: 1234, checkpoints: 12, fromSeq: 1, toSeq: 1234, lastCheckpointSeq: 1200, unsignedTail: 34, anchor: 'genesis', macChecked: true, retentions: 0, problem: null };

describe(VerificationResult.name, () => {
  it('says an intact trail is intact and what was checked', () => {
    renderInApp(<VerificationResult result={base} recordHref={(p) => (p.eventId ? `/audit/${p.eventId}` : `/audit?seq=${p.seq}`)} />);
    expect(screen.getByText('The audit trail is intact')).toBeInTheDocument();
    expect(screen.getByText(/1,234 records checked \(seq 1 to 1234\), chained to the start of the trail/)).toBeInTheDocument();
    expect(screen.getByText(/12 signed checkpoints verified, the last at seq 1200/)).toBeInTheDocument();
    expect(screen.getByText(/34 newest records are not yet covered/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('names the first bad record, what is wrong, and links to it', () => {
    const href = (p: { seq: number; eventId?: string | null }) => (p.eventId ? `/audit/${p.eventId}` : `/audit?seq=${p.seq}`);
    const problem = { kind: 'altered', seq: 42, detail: 'its hash does not match its content', eventId: '0aadfd98-6e33-42a3-a678-5824511a881c' };
    renderInApp(<VerificationResult result={{ ...base, ok: false, records: 41, problem }} recordHref={href} />);
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('The audit trail is NOT intact');
    expect(alert).toHaveTextContent('Record 42 was altered after it was written. its hash does not match its content');
    expect(screen.getByRole('link', { name: 'Open record 42 as it is stored now' })).toHaveAttribute('href', `/audit/${problem.eventId}`);
  });

  it('points to the records around a removed one, which has no detail page', () => {
    renderInApp(<VerificationResult result={{ ...base, ok: false, records: 41, problem: { kind: 'removed', seq: 42, detail: 'the chain skips it', eventId: null } }} recordHref={(p) => (p.eventId ? `/audit/${p.eventId}` : `/audit?seq=${p.seq}`)} />);
    expect(screen.getByRole('link', { name: /records around 42/ })).toHaveAttribute('href', '/audit?seq=42');
  });

  it('says when there was nothing to verify', () => {
    renderInApp(<VerificationResult result={{ ...base, records: 0, checkpoints: 0, fromSeq: null, toSeq: null, lastCheckpointSeq: null, unsignedTail: 0 }} recordHref={() => '/'} />);
    expect(screen.getByText(/no records in this range yet/)).toBeInTheDocument();
  });
});
