import { silentLogger, type Logger } from '../../core/logger.js';

/** What the recorder writes and reads with: a Prisma client, or the audit trail's `pg` pool. */
export interface UsageSql {
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): PromiseLike<T>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

export interface TokenUse {
  readonly tenantId: string;
  readonly serviceAccountId: string;
  readonly tokenId: string;
}

interface DayUse extends TokenUse {
  readonly day: string;
  uses: number;
  first: number;
  last: number;
}

const UPSERT = `INSERT INTO api_token_use (token_id, day, tenant_id, service_account_id, uses, first_used_at, last_used_at)
SELECT x.token_id, x.day::date, x.tenant_id, x.service_account_id, x.uses, x.first_used_at::timestamptz AT TIME ZONE 'UTC', x.last_used_at::timestamptz AT TIME ZONE 'UTC'
FROM jsonb_to_recordset($1::jsonb) AS x(token_id text, day text, tenant_id text, service_account_id text, uses int, first_used_at text, last_used_at text)
ON CONFLICT (token_id, day) DO UPDATE SET
  uses = api_token_use.uses + excluded.uses,
  first_used_at = least(api_token_use.first_used_at, excluded.first_used_at),
  last_used_at = greatest(api_token_use.last_used_at, excluded.last_used_at)`;

/**
 * Records when API tokens are used, for "last use" in the console and in an evidence pack's access
 * review. Authenticating a request must not wait for a write, so uses are counted in memory per
 * token and UTC day and written every `flushMs` (and on `stop`) in one upsert; several replicas
 * add up (uses are summed, first and last use take the earliest and latest). A failed write keeps
 * the counts for the next one; a crash loses at most `flushMs` of counts, never a token's state.
 * Read back by `tokenLastUse` (src/audit/access-use.ts).
 */
export class ApiTokenUsage {
  private pending = new Map<string, DayUse>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly sql: UsageSql,
    private readonly options: { readonly flushMs?: number; readonly logger?: Logger } = {},
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushMs ?? 5_000);
    this.timer.unref();
  }

  /** Counts one use of a token at `at`. */
  record(use: TokenUse, at: Date = new Date()): void {
    const ms = at.getTime();
    this.add({ ...use, day: at.toISOString().slice(0, 10), uses: 1, first: ms, last: ms });
  }

  /** Adds uses of a token on a day to what is pending. */
  private add(use: DayUse): void {
    const key = `${use.tokenId} ${use.day}`;
    const known = this.pending.get(key);
    if (!known) {
      this.pending.set(key, use);
      return;
    }
    known.uses += use.uses;
    known.first = Math.min(known.first, use.first);
    known.last = Math.max(known.last, use.last);
  }

  /** Writes the counts so far; resolves once written (or once the failure is logged and the counts kept). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.pending.size === 0) return;
      const batch = this.pending;
      this.pending = new Map();
      const rows = [...batch.values()].map((u) => ({
        token_id: u.tokenId,
        day: u.day,
        tenant_id: u.tenantId,
        service_account_id: u.serviceAccountId,
        uses: u.uses,
        first_used_at: new Date(u.first).toISOString(),
        last_used_at: new Date(u.last).toISOString(),
      }));
      try {
        await this.sql.$executeRawUnsafe(UPSERT, JSON.stringify(rows));
      } catch (error) {
        for (const use of batch.values()) this.add(use);
        (this.options.logger ?? silentLogger).warn({ err: error instanceof Error ? error.message : String(error), tokens: batch.size }, 'recording API token use failed; kept for the next write');
      }
    });
    return this.flushing;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
