import { runConformanceSuite, startConformanceFixture } from '@mcpgate/testing';
import { startTestProxy, tenantSnapshot } from '/work/main/integration-tests/src/proxy-harness.ts';
const fixture = await startConformanceFixture({ standaloneStreamWaitMs: Number(process.argv[2] ?? 5000) });
const snapshot = tenantSnapshot({
  upstreams: [{ id: 'srv_fixture00001', config: { name: 'fixture', connection: { transport: 'streamable-http', endpoints: [{ id: 'main', url: fixture.url }] }, regions: ['eu-west-1'] } }],
  virtualServers: [{ id: 'vsr_conformance01', name: 'conformance', prefixMode: 'never', upstreams: [{ serverId: 'srv_fixture00001', tools: ['*'] }], anonymousAccess: true }],
});
const proxy = await startTestProxy({ proxyId: 'x' });
proxy.publish(snapshot);
const direct = await runConformanceSuite({ url: fixture.url, timeoutMs: 300_000 });
const via = await runConformanceSuite({ url: `${proxy.url}/t/acme/mcp/conformance`, timeoutMs: 300_000 });
for (const s of direct.scenarios) { const v = via.scenarios.find((x) => x.name === s.name); if (!v || v.passed !== s.passed || v.failed !== s.failed) console.log('DIFF', s, v); }
const name = via.scenarios.find((v) => direct.scenarios.find((d) => d.name === v.name)?.passed !== v.passed)?.name;
if (name) { const one = await runConformanceSuite({ url: `${proxy.url}/t/acme/mcp/conformance`, scenario: name, timeoutMs: 120_000 }); console.log(one.output.split('\n').filter((l) => /WARN|FAIL|SUCC|INFO/.test(l)).join('\n')); }
console.log('direct', direct.passed, direct.failed, 'via', via.passed, via.failed);
await proxy.close(); await fixture.close();
