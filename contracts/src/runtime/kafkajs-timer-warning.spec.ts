import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { isKafkajsNegativeTimerWarning, quietKafkajsNegativeTimerWarning } from './kafkajs-timer-warning.js';

/** A warning as Node makes it for `setTimeout(fn, -n)`, called from the file at `caller`. */
const negativeTimerWarning = (caller: string): Error => {
  const warning = new Error('-1795709237864 is a negative number.\nTimeout duration was set to 1.');
  warning.name = 'TimeoutNegativeWarning';
  warning.stack = `${warning.name}: ${warning.message}\n    at new Timeout (node:internal/timers:233:17)\n    at setTimeout (node:timers:125:19)\n    at RequestQueue.scheduleCheckPendingRequests (${caller}:317:37)`;
  return warning;
};
const KAFKAJS = '/srv/app/node_modules/kafkajs/src/network/requestQueue/index.js';

describe('quietKafkajsNegativeTimerWarning', () => {
  it('drops the negative timer warning of kafkajs’ request queue and passes every other warning on', () => {
    const source = new EventEmitter();
    const printed: string[] = [];
    source.on('warning', (w: Error) => printed.push(`${w.name} ${w.stack?.split('\n').at(-1)?.trim()}`));
    quietKafkajsNegativeTimerWarning(source as never);
    quietKafkajsNegativeTimerWarning(source as never); // a second Kafka client: still one filter

    source.emit('warning', negativeTimerWarning(KAFKAJS));
    const ours = negativeTimerWarning('/srv/app/proxy/dist/src/upstream/health-checker.js');
    source.emit('warning', ours);
    const deprecation = new Error('Buffer() is deprecated');
    deprecation.name = 'DeprecationWarning';
    source.emit('warning', deprecation);

    expect(source.listenerCount('warning')).toBe(1);
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('health-checker.js');
    expect(printed[1]).toMatch(/^DeprecationWarning/);
  });

  it('recognises the warning only by its name and kafkajs’ request queue on the stack', () => {
    expect(isKafkajsNegativeTimerWarning(negativeTimerWarning(KAFKAJS))).toBe(true);
    expect(isKafkajsNegativeTimerWarning(negativeTimerWarning('C:\\app\\node_modules\\kafkajs\\src\\network\\requestQueue\\index.js'))).toBe(true);
    expect(isKafkajsNegativeTimerWarning(negativeTimerWarning('/srv/app/node_modules/kafkajs/src/consumer/runner.js'))).toBe(false);
    const other = negativeTimerWarning(KAFKAJS);
    other.name = 'MaxListenersExceededWarning';
    expect(isKafkajsNegativeTimerWarning(other)).toBe(false);
  });
});
