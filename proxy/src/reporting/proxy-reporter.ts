import type { ProxyReport } from '@mcpgate/contracts';
import type { LogLine } from '../observability/logger.js';

export interface ProxyReporterOptions {
  readonly build: () => ProxyReport;
  /** Hands a report on (Kafka, or the in-process control plane); a rejection is logged and the next report tries again. */
  readonly publish: (report: ProxyReport) => Promise<void>;
  readonly intervalMs: number;
  /** Reports early when this changes (the snapshot store's version): a rollout shows within a second. */
  readonly changes?: () => number;
  readonly log: LogLine;
}

/** Sends this proxy's report every `intervalMs`, and within a second of a snapshot swap; one at a time. */
export class ProxyReporter {
  private timer: NodeJS.Timeout | undefined;
  private watcher: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  private lastChange = -1;
  private lastSent = 0;
  private failing = false;

  constructor(private readonly options: ProxyReporterOptions) {}

  start(): void {
    void this.report();
    this.timer = setInterval(() => void this.report(), this.options.intervalMs).unref();
    if (this.options.changes) {
      this.lastChange = this.options.changes();
      this.watcher = setInterval(() => {
        const change = this.options.changes!();
        // several swaps in a burst: one report, at most one a second
        if (change !== this.lastChange && Date.now() - this.lastSent >= 1_000) {
          this.lastChange = change;
          void this.report();
        }
      }, 250).unref();
    }
  }

  /** Builds and publishes one report now (waits for one in flight first). */
  async report(): Promise<void> {
    await this.inFlight;
    this.inFlight = (async () => {
      try {
        this.lastSent = Date.now();
        await this.options.publish(this.options.build());
        if (this.failing) this.options.log({ level: 'info', message: 'proxy reports are delivered again' });
        this.failing = false;
      } catch (error) {
        if (!this.failing) this.options.log({ level: 'warn', message: 'cannot deliver the proxy report; retrying with the next one', error: String(error) });
        this.failing = true;
      }
    })();
    await this.inFlight;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    clearInterval(this.watcher);
    await this.inFlight;
  }
}
