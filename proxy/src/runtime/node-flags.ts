/**
 * Node flags the proxy runs with in production (`npm start` of this package, the single-process
 * launcher, and the benchmark's proxy child), in one place.
 *
 * `--max-semi-space-size=8`: V8 otherwise grows the young generation up to 16 MB per semi-space
 * under load, and with three semi-spaces reserved that is ~100 MB of resident memory holding
 * nothing but short-lived per-request garbage (measured: 243 MB RSS at 1,000 sessions with the
 * default, 145 MB with 8 MB semi-spaces, at no measurable cost in CPU per call: request garbage
 * dies young either way, so smaller semi-spaces only mean more, cheaper scavenges).
 */
export const PROXY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
