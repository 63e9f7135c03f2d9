/**
 * Deadlines of calls in flight, checked by one shared timer instead of a timer per call: a Node
 * timer costs a few microseconds to arm and clear, a Set entry a fraction of that, and upstream
 * timeouts are whole seconds, so a check every `resolutionMs` is precise enough.
 */
export class Deadlines {
  private readonly pending = new Set<{ readonly at: number; readonly expire: () => void }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly resolutionMs = 100) {}

  /** Calls `expire` once, at the earliest `resolutionMs` after `ms` from now, unless cancelled first. */
  add(ms: number, expire: () => void): () => void {
    const entry = { at: performance.now() + ms, expire };
    this.pending.add(entry);
    this.timer ??= setInterval(() => this.check(), this.resolutionMs).unref();
    return () => {
      this.pending.delete(entry);
    };
  }

  get size(): number {
    return this.pending.size;
  }

  private check(): void {
    const now = performance.now();
    for (const entry of this.pending) {
      if (entry.at > now) continue;
      this.pending.delete(entry);
      entry.expire();
    }
    if (!this.pending.size) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
  }
}
