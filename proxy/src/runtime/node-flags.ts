/**
 * Node flags the proxy runs with in production (`npm start` of this package, the single-process
 * launcher, and the benchmark's proxy child), in one place.
 *
 * `--max-semi-space-size=4`: V8 otherwise grows the young generation up to 16 MB per semi-space
 * under load, and with three semi-spaces reserved that is ~100 MB of resident memory holding
 * nothing but short-lived per-request garbage. Measured at 1,000 sessions (`bench/`): 243 MB RSS
 * with the default, 145–155 MB with 8 MB semi-spaces, 135 MB with 4 MB; CPU per call and
 * saturation throughput did not move measurably either time (README.md, "Performance"): request
 * garbage dies young whatever the size, so smaller semi-spaces only mean more, cheaper scavenges.
 */
export const PROXY_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
