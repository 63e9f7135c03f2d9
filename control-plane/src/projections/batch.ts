import type { ReadModelTable, RowChange } from './read-model.projection.js';

type Row = Record<string, unknown>;
const isIncrement = (v: unknown): v is { increment: number } => typeof v === 'object' && v !== null && 'increment' in v;

const mergeSet = (target: Row, set: Readonly<Row>) => {
  for (const [key, value] of Object.entries(set)) {
    if (isIncrement(value)) {
      const current = target[key];
      target[key] = isIncrement(current)
        ? { increment: current.increment + value.increment }
        : typeof current === 'number'
          ? current + value.increment
          : value;
    } else {
      target[key] = value;
    }
  }
};

/**
 * Row changes of many commits folded into as few statements as possible: an update of a row
 * created in the same batch is merged into the insert, several updates of one row become one.
 * Folding in log order gives the same rows as executing every change one by one.
 */
export class ChangeBatch {
  readonly creates = new Map<ReadModelTable, Map<string, Row>>();
  readonly updates = new Map<ReadModelTable, Map<string, { version: number; set: Row }>>();
  readonly activity: Readonly<Row>[] = [];
  size = 0;

  add(change: RowChange): void {
    this.size += 1;
    if (change.kind === 'activity') {
      this.activity.push(change.row);
      return;
    }
    if (change.kind === 'create') {
      const rows = this.creates.get(change.table) ?? new Map<string, Row>();
      this.creates.set(change.table, rows);
      if (!rows.has(change.row['id'] as string)) rows.set(change.row['id'] as string, { ...change.row });
      return;
    }
    const created = this.creates.get(change.table)?.get(change.id);
    if (created) {
      if ((created['version'] as number) < change.version) {
        mergeSet(created, change.set);
        created['version'] = change.version;
      }
      return;
    }
    const updates = this.updates.get(change.table) ?? new Map<string, { version: number; set: Row }>();
    this.updates.set(change.table, updates);
    const pending = updates.get(change.id) ?? { version: 0, set: {} };
    mergeSet(pending.set, change.set);
    pending.version = Math.max(pending.version, change.version);
    updates.set(change.id, pending);
  }
}
