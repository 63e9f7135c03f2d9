import { Button, Group, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useEffect, useState, type FormEvent } from 'react';
import { activeFilterCount, RANGE_PRESETS, type AuditFilterProblem, type AuditFilterState, type RangePreset } from './audit-filters';

type TextField = 'from' | 'to' | 'principal' | 'keyId' | 'tool' | 'server' | 'virtualServer' | 'region' | 'policyVersion';
const TEXT_FIELDS: readonly { field: Exclude<TextField, 'from' | 'to'>; label: string; placeholder: string }[] = [
  { field: 'principal', label: 'Principal', placeholder: 'user subject or service account' },
  { field: 'keyId', label: 'Virtual key id', placeholder: 'key id' },
  { field: 'tool', label: 'Tool', placeholder: 'e.g. github__create_issue' },
  { field: 'server', label: 'Upstream server id', placeholder: 'server id' },
  { field: 'virtualServer', label: 'Virtual server id', placeholder: 'virtual server id' },
  { field: 'region', label: 'Region', placeholder: 'e.g. eu-west-1' },
  { field: 'policyVersion', label: 'Policy version', placeholder: '<partition>:<offset>' },
];

/**
 * The explorer's filters. Choices (range, outcome, kind) apply at once; typed values apply with
 * Enter or "Apply filters", so the list does not reload on every keystroke.
 */
export const AuditFilterBar = ({ state, onChange, problem }: { state: AuditFilterState; onChange: (patch: Partial<AuditFilterState>) => void; problem?: AuditFilterProblem }) => {
  const [draft, setDraft] = useState<Record<TextField, string>>(state);
  const stateKey = JSON.stringify(state);
  useEffect(() => setDraft(JSON.parse(stateKey) as AuditFilterState), [stateKey]);
  const apply = (event: FormEvent) => {
    event.preventDefault();
    onChange(draft);
  };
  const cleared = { principal: '', keyId: '', tool: '', server: '', virtualServer: '', outcome: '', region: '', policyVersion: '', kind: '' };
  const active = activeFilterCount(state);
  return (
    <form onSubmit={apply} aria-label="Audit filters">
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 4 }} mb="sm">
        <Select label="Time range" data={RANGE_PRESETS.map((p) => ({ value: p.value, label: p.label }))} value={state.range} onChange={(v) => v && onChange({ range: v as RangePreset })} allowDeselect={false} />
        {state.range === 'custom' && (
          <>
            <TextInput type="datetime-local" label="From" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.currentTarget.value })} error={problem?.field === 'from' && problem.message} />
            <TextInput type="datetime-local" label="To" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.currentTarget.value })} error={problem?.field === 'to' && problem.message} />
          </>
        )}
        <Select
          label="Outcome"
          placeholder="Any outcome"
          data={[
            { value: 'allowed', label: 'Allowed' },
            { value: 'denied', label: 'Denied' },
            { value: 'failed', label: 'Failed' },
          ]}
          value={state.outcome || null}
          onChange={(v) => onChange({ outcome: v ?? '' })}
          clearable
        />
        <Select
          label="Kind"
          placeholder="Tool calls and admin changes"
          data={[
            { value: 'TOOL_CALL', label: 'Tool calls' },
            { value: 'ADMIN', label: 'Admin changes' },
          ]}
          value={state.kind || null}
          onChange={(v) => onChange({ kind: v ?? '' })}
          clearable
        />
        {TEXT_FIELDS.map((f) => (
          <TextInput key={f.field} label={f.label} placeholder={f.placeholder} value={draft[f.field]} onChange={(e) => setDraft({ ...draft, [f.field]: e.currentTarget.value })} />
        ))}
      </SimpleGrid>
      <Group mb="md">
        <Button type="submit" size="xs">
          Apply filters
        </Button>
        <Button variant="default" size="xs" disabled={active === 0} onClick={() => onChange(cleared)}>
          Clear filters{active ? ` (${active})` : ''}
        </Button>
      </Group>
    </form>
  );
};
