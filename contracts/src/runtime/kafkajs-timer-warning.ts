/**
 * kafkajs 2.2.4, the newest release (and its 2.3 betas), asks for a negative timer delay whenever
 * its request queue is not throttled (`throttledUntil` starts at -1; kafkajs issue 1751). Node 23
 * and later then print a `TimeoutNegativeWarning` on stderr once per process, and run the timer
 * after 1 ms, which is what kafkajs means. `quietKafkajsNegativeTimerWarning` drops exactly that
 * warning, when kafkajs' request queue caused it; every other warning (a negative timer of our
 * own included) still reaches Node's usual output. Every Kafka client of the control plane and the
 * proxy calls it (idempotent). Here because both apps need it; it touches nothing outside Node.
 */
const KAFKAJS_REQUEST_QUEUE = /[\\/]kafkajs[\\/]src[\\/]network[\\/]requestQueue[\\/]/;

type WarningListener = (warning: Error) => void;
/** The part of Node's `process` this needs (contracts does not depend on Node's types). */
interface WarningSource {
  listeners(event: 'warning'): WarningListener[];
  removeAllListeners(event: 'warning'): unknown;
  on(event: 'warning', listener: WarningListener): unknown;
}

const installedOn = new WeakSet<object>();

export const isKafkajsNegativeTimerWarning = (warning: Error): boolean => warning.name === 'TimeoutNegativeWarning' && KAFKAJS_REQUEST_QUEUE.test(warning.stack ?? '');

export const quietKafkajsNegativeTimerWarning = (source: WarningSource | undefined = (globalThis as { process?: WarningSource }).process): void => {
  if (!source || installedOn.has(source)) return;
  installedOn.add(source);
  // Node's own printer is one of these listeners: it and the others see every warning but that one
  const listeners = source.listeners('warning');
  source.removeAllListeners('warning');
  source.on('warning', (warning) => {
    if (isKafkajsNegativeTimerWarning(warning)) return;
    for (const listener of listeners) listener.call(source, warning);
  });
};
