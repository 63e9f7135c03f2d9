import { Badge, Button, Code, Group, JsonInput, List, SegmentedControl, Select, Stack, Table, Tabs, Text, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { PolicyDocument } from '@mcpgate/contracts';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { FieldIssue } from '../../api/api-error';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { useTenantPermissions } from '../../auth/permissions';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorNotice, QueryState } from '../../components/query-state';
import { useUrlFilter } from '../../components/search-params';
import { useDraft } from '../../components/use-draft';
import { issueAt, validate } from '../../components/validation';
import { tenantPath } from '../../layout/navigation';
import { actorLabel } from '../overview/activity-chart-data';
import { CreatePolicyMutation, PoliciesQuery, PolicyDiffQuery, SimulatePolicyQuery, UpdatePolicyMutation } from './policies.graphql';
import { usePolicyHistory } from './policy-history';
import { describeDocumentDiff, positionText, STARTER_DOCUMENT, type PolicyDiff, type SimulatedCall } from './policy-model';

/** The document as typed, parsed and checked with the schema the control plane applies. */
const checkDocument = (text: string): { document?: Record<string, unknown>; issues: FieldIssue[] } => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { issues: [{ path: [], message: `not JSON: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const issues = validate(PolicyDocument, parsed);
  return issues.length ? { issues } : { document: parsed as Record<string, unknown>, issues };
};

const Issues = ({ issues }: { issues: readonly FieldIssue[] }) =>
  issues.length ? (
    <div role="alert">
      <List size="sm" c="var(--mantine-color-error)" aria-label="Problems in the document">
        {issues.map((i) => (
          <List.Item key={`${i.path.join('.')}:${i.message}`}>
            <Code>{i.path.join('.') || 'document'}</Code> {i.message}
          </List.Item>
        ))}
      </List>
    </div>
  ) : null;

const History = ({ tenantId, policyId }: { tenantId: string; policyId: string }) => {
  const history = usePolicyHistory(tenantId);
  const [from, setFrom] = useUrlFilter('from');
  const [to, setTo] = useUrlFilter('to');
  const diff = useApiQuery(PolicyDiffQuery, { tenantId, from, to }, { enabled: Boolean(from && to) });
  return (
    <QueryState query={history} label="the policy's history" isEmpty={(d) => d.length === 0} empty={<EmptyState title="No history yet">Changes appear here once saved.</EmptyState>}>
      {(changes) => {
        const own = changes.filter((c) => c.policyId === policyId);
        const options = own.map((c) => ({ value: positionText(c.position), label: `v${c.version} · ${new Date(c.time).toLocaleString()} · ${actorLabel(c.actor)}` }));
        const changed = diff.data ? (diff.data.policyDiff as unknown as PolicyDiff).changed.find((c) => c.policyId === policyId) : undefined;
        return (
          <Stack>
            <Table.ScrollContainer minWidth={600}>
              <Table>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Version</Table.Th>
                    <Table.Th>Change</Table.Th>
                    <Table.Th>When</Table.Th>
                    <Table.Th>Who</Table.Th>
                    <Table.Th>Note</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {own.map((c) => (
                    <Table.Tr key={positionText(c.position)}>
                      <Table.Td>v{c.version}</Table.Td>
                      <Table.Td>{c.event}</Table.Td>
                      <Table.Td>{new Date(c.time).toLocaleString()}</Table.Td>
                      <Table.Td>{actorLabel(c.actor)}</Table.Td>
                      <Table.Td>{c.changeNote}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group align="flex-end">
              <Select label="Compare from" data={options} value={from || null} onChange={(v) => setFrom(v ?? '')} w={440} />
              <Select label="to" data={options} value={to || null} onChange={(v) => setTo(v ?? '')} w={440} />
            </Group>
            {from && to && (
              <QueryState query={diff} label="the diff">
                {() =>
                  changed ? (
                    <Code block aria-label={`Changes from version ${changed.fromVersion} to ${changed.toVersion}`}>
                      {[`v${changed.fromVersion} → v${changed.toVersion}`, ...describeDocumentDiff(changed.changes)].join('\n')}
                    </Code>
                  ) : (
                    <Text>No difference between these two versions (pick the earlier one first).</Text>
                  )
                }
              </QueryState>
            )}
          </Stack>
        );
      }}
    </QueryState>
  );
};

const DEFAULT_CALLS = JSON.stringify([{ tool: 'echo', user: 'alice@example.com', groups: ['engineering'] }], null, 2);
const RECORDED_LIMIT = 1_000;
const PERIODS = [
  { value: '1', label: 'last 24 hours' },
  { value: '7', label: 'last 7 days' },
  { value: '30', label: 'last 30 days' },
];

type SimulationRequest = { candidate: Record<string, unknown>; calls: Record<string, unknown>[] | null; from: string | null };

const principalText = (p: Record<string, unknown>): string =>
  p['kind'] === 'virtual-key' ? `key ${String(p['keyPrefix'] ?? p['keyId'] ?? '')}…` : p['kind'] === 'oauth' ? String(p['subject'] ?? 'OAuth caller') : String(p['kind'] ?? 'unknown');

const outcomeBadge = (outcome: string) => (
  <Badge color={outcome === 'denied' ? 'red' : 'green'} variant="light">
    {outcome}
  </Badge>
);

/** Simulates the document in the editor: over the calls the audit trail recorded (default), or over sample calls. */
const Simulation = ({ tenantId, policyId, documentText }: { tenantId: string; policyId?: string; documentText: string }) => {
  const [source, setSource] = useUrlFilter('source', 'recorded');
  const [days, setDays] = useUrlFilter('days', '7');
  const [callsText, setCallsText] = useDraft(`simulation.${tenantId}`, DEFAULT_CALLS);
  const [request, setRequest] = useState<SimulationRequest>();
  const [problem, setProblem] = useState<string>();
  const result = useApiQuery(
    SimulatePolicyQuery,
    { tenantId, policyId: policyId ?? null, candidate: request?.candidate ?? {}, calls: request?.calls ?? null, from: request?.from ?? null, limit: RECORDED_LIMIT },
    { enabled: Boolean(request) },
  );
  const run = () => {
    const { document, issues } = checkDocument(documentText);
    if (!document) return setProblem(`The candidate document has problems: ${issues.map((i) => i.message).join('; ')}`);
    if (source === 'recorded') {
      setProblem(undefined);
      return setRequest({ candidate: document, calls: null, from: new Date(Date.now() - Number(days) * 86_400_000).toISOString() });
    }
    let calls: unknown;
    try {
      calls = JSON.parse(callsText);
    } catch {
      return setProblem('The sample calls are not JSON.');
    }
    if (!Array.isArray(calls)) return setProblem('The sample calls must be a JSON array.');
    setProblem(undefined);
    setRequest({ candidate: document, calls: calls as Record<string, unknown>[], from: null });
  };
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Decides calls under the policies as they are and with the document in the editor; shows which outcomes would change before you save.
      </Text>
      <SegmentedControl
        aria-label="Calls to simulate"
        value={source}
        onChange={(v) => {
          setSource(v);
          setRequest(undefined);
        }}
        data={[
          { value: 'recorded', label: 'Recorded calls' },
          { value: 'sample', label: 'Sample calls' },
        ]}
        w="fit-content"
      />
      {source === 'recorded' ? (
        <Select label="Recorded tool calls of the" data={PERIODS} value={days} onChange={(v) => setDays(v ?? '7')} allowDeselect={false} w={260} description={`from the audit trail, the newest ${RECORDED_LIMIT.toLocaleString()} at most`} error={problem} />
      ) : (
        <JsonInput label="Sample calls" description='[{ "tool": "echo", "user": "…", "groups": ["…"], "roles": ["…"] }]' value={callsText} onChange={setCallsText} autosize minRows={4} formatOnBlur error={problem} />
      )}
      <Group>
        <Button onClick={run} variant="light">
          Simulate
        </Button>
      </Group>
      {request && (
        <QueryState query={result} label="the simulation">
          {(d) => {
            const s = d.simulatePolicyChange;
            if (s.source === 'recorded') {
              return (
                <Stack>
                  <Text size="sm" aria-label="Simulation totals">
                    {s.examined.toLocaleString()} recorded calls examined: {s.changed.toLocaleString()} would change ({s.newlyDenied.toLocaleString()} newly denied, {s.newlyAllowed.toLocaleString()} newly allowed).
                  </Text>
                  {s.changedCalls.length > 0 && (
                    <Table.ScrollContainer minWidth={720}>
                      <Table aria-label="Recorded calls that would change">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>When</Table.Th>
                            <Table.Th>Who</Table.Th>
                            <Table.Th>Tool</Table.Th>
                            <Table.Th>Now</Table.Th>
                            <Table.Th>With this document</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {s.changedCalls.map((c) => (
                            <Table.Tr key={c.eventId}>
                              <Table.Td>{new Date(c.time).toLocaleString()}</Table.Td>
                              <Table.Td>{principalText(c.principal)}</Table.Td>
                              <Table.Td ff="monospace">{c.tool}</Table.Td>
                              <Table.Td>
                                {outcomeBadge(c.before)} <Text span size="xs">{c.ruleBefore ?? c.reasonBefore}</Text>
                              </Table.Td>
                              <Table.Td>
                                {outcomeBadge(c.after)} <Text span size="xs">{c.ruleAfter ?? c.reasonAfter}</Text>
                              </Table.Td>
                            </Table.Tr>
                          ))}
                        </Table.Tbody>
                      </Table>
                    </Table.ScrollContainer>
                  )}
                </Stack>
              );
            }
            const rows = s.sampleResults as unknown as SimulatedCall[];
            const decision = (x: SimulatedCall['before']) => (
              <>
                <Badge color={x.allowed ? 'green' : 'red'} variant="light">
                  {x.allowed ? 'allowed' : 'denied'}
                </Badge>{' '}
                <Text span size="xs">
                  {x.reason}
                  {x.ruleId ? ` (${x.policy ?? ''}/${x.ruleId})` : ''}
                </Text>
              </>
            );
            return (
              <Table.ScrollContainer minWidth={640}>
                <Table aria-label="Simulation results">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>Call</Table.Th>
                      <Table.Th>Now</Table.Th>
                      <Table.Th>With this document</Table.Th>
                      <Table.Th>Changes?</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {rows.map((r, i) => (
                      <Table.Tr key={i}>
                        <Table.Td ff="monospace">
                          {r.call.tool} {r.call.user ? `as ${r.call.user}` : ''}
                        </Table.Td>
                        <Table.Td>{decision(r.before)}</Table.Td>
                        <Table.Td>{decision(r.after)}</Table.Td>
                        <Table.Td>{r.changed ? <Text fw={700} size="sm" c="var(--mantine-color-orange-light-color)">outcome changes</Text> : r.decidedByOtherRule ? 'other rule decides' : 'no change'}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            );
          }}
        </QueryState>
      )}
    </Stack>
  );
};

const Editor = ({ tenantId, policy, canManage }: { tenantId: string; policy?: { id: string; name: string; document: Record<string, unknown> }; canManage: boolean }) => {
  const navigate = useNavigate();
  const [tab, setTab] = useUrlFilter('tab', 'editor');
  const [text, setText, clearDraft] = useDraft(`policy.${tenantId}.${policy?.id ?? 'new'}`, JSON.stringify(policy?.document ?? STARTER_DOCUMENT, null, 2));
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [changeNote, setChangeNote] = useState('');
  const [issues, setIssues] = useState<FieldIssue[]>([]);
  const create = useApiMutation(CreatePolicyMutation);
  const update = useApiMutation(UpdatePolicyMutation);
  const error = create.error ?? update.error;

  const save = () => {
    const checked = checkDocument(text);
    setIssues(checked.issues);
    if (!checked.document) return;
    const done = () => {
      clearDraft();
      notifications.show({ color: 'green', message: 'Policy saved: the proxies enforce it from their next snapshot on' });
    };
    if (policy) update.mutate({ tenantId, policyId: policy.id, document: checked.document, changeNote }, { onSuccess: done });
    else create.mutate({ tenantId, name: name.trim(), description, document: checked.document }, { onSuccess: (d) => (done(), void navigate(tenantPath(tenantId, `policies/${d.createPolicy.id ?? ''}`))) });
  };

  const editor = (
    <Stack>
      {!policy && (
        <Group grow>
          <TextInput label="Name" description="A slug" value={name} onChange={(e) => setName(e.currentTarget.value)} error={issueAt('name', [], error)} required />
          <TextInput label="Description" value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
        </Group>
      )}
      <JsonInput
        label="Policy document"
        description="toolRules, rateLimits, budgets, toolCosts and audit; checked as you save"
        value={text}
        onChange={(v) => {
          setText(v);
          setIssues(checkDocument(v).issues);
        }}
        autosize
        minRows={14}
        maxRows={30}
        formatOnBlur
        readOnly={!canManage}
        error={issues.length ? `${issues.length} problem${issues.length > 1 ? 's' : ''} below` : undefined}
        styles={{ input: { fontFamily: 'monospace' } }}
      />
      <Issues issues={issues} />
      {error && <ErrorNotice error={error} title="The policy was not saved" />}
      {canManage && (
        <Group justify="flex-end" align="flex-end">
          {policy && <TextInput label="Change note" placeholder="Why this change" value={changeNote} onChange={(e) => setChangeNote(e.currentTarget.value)} style={{ flex: 1 }} />}
          <Button variant="default" onClick={() => setTab('simulate')}>
            Simulate first
          </Button>
          <Button onClick={save} loading={create.isPending || update.isPending}>
            {policy ? 'Save new version' : 'Create policy'}
          </Button>
        </Group>
      )}
    </Stack>
  );

  return (
    <Tabs value={tab} onChange={(v) => setTab(v ?? 'editor')} keepMounted={false}>
      <Tabs.List mb="md">
        <Tabs.Tab value="editor">Editor</Tabs.Tab>
        {policy && <Tabs.Tab value="history">History and diff</Tabs.Tab>}
        <Tabs.Tab value="simulate">Simulate</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="editor">{editor}</Tabs.Panel>
      {policy && (
        <Tabs.Panel value="history">
          <History tenantId={tenantId} policyId={policy.id} />
        </Tabs.Panel>
      )}
      <Tabs.Panel value="simulate">
        <Simulation tenantId={tenantId} policyId={policy?.id} documentText={text} />
      </Tabs.Panel>
    </Tabs>
  );
};

/** Write a policy (`/policies/new`) or change one: validation, version diff and simulation. */
export const PolicyEditPage = () => {
  const { tenantId = '', policyId } = useParams();
  const { can } = useTenantPermissions(tenantId);
  const policies = useApiQuery(PoliciesQuery, { tenantId, first: 100 }, { enabled: Boolean(policyId) });
  if (!policyId) {
    return (
      <>
        <PageHeader title="New policy" />
        <Editor tenantId={tenantId} canManage={can('policy:manage')} />
      </>
    );
  }
  return (
    <QueryState query={policies} label="the policy">
      {(d) => {
        const policy = d.policies.nodes.find((p) => p.id === policyId);
        if (!policy) return <EmptyState title="No such policy">It may have been deleted. Go back to the list of policies.</EmptyState>;
        return (
          <>
            <PageHeader title={`Policy ${policy.name}`} description={`Version ${policy.version} · ${policy.description || 'no description'}`} />
            <Editor key={policy.version} tenantId={tenantId} policy={policy} canManage={can('policy:manage')} />
          </>
        );
      }}
    </QueryState>
  );
};
