/**
 * Why a delivery attempt failed, in words that are safe to store and show: a status code, an error
 * code, a receiver's own short error text, never a request (which carries tokens and signatures) or
 * a secret. `retriable: false` means the receiver refused the content (a 4xx other than 401, 403,
 * 404, 408, 429): retrying the same batch cannot help, so it goes to a dead letter at once.
 */
export class ExportError extends Error {
  constructor(
    readonly reason:
      | 'export.unreachable'
      | 'export.timeout'
      | 'export.http_status'
      | 'export.rejected'
      | 'export.tls'
      | 'export.connection_closed'
      | 'export.credential_unavailable'
      | 'export.file'
      | 'export.lease_lost',
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = 'ExportError';
  }
}

const MAX_DETAIL = 300;
/**
 * A receiver's error text, with any of `secrets` it echoes replaced (before shortening, so no prefix
 * of one survives), reduced to printable characters and shortened.
 */
export const safeDetail = (text: string, secrets: readonly string[] = []): string =>
  secrets
    .filter((s) => s.length >= 4)
    .reduce((t, s) => t.split(s).join('[redacted]'), text)
    .replace(/[^\x20-\x7e]+/g, ' ')
    .trim()
    .slice(0, MAX_DETAIL);

/** Classifies a socket or fetch error by its code only (messages may echo a URL or header). */
export const networkError = (error: unknown): ExportError => {
  const cause = (error as { cause?: { code?: unknown } } | undefined)?.cause;
  const code = String((error as { code?: unknown } | undefined)?.code ?? cause?.code ?? (error as Error | undefined)?.name ?? 'unknown');
  if (code === 'TimeoutError' || code === 'AbortError' || code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return new ExportError('export.timeout', `the receiver did not answer in time (${code})`, true);
  if (/CERT|SSL|TLS|SELF_SIGNED|HOSTNAME|UNABLE_TO_|SIGNATURE|EPROTO/i.test(code)) return new ExportError('export.tls', `TLS handshake failed (${code})`, true);
  return new ExportError('export.unreachable', `the receiver is unreachable (${code})`, true);
};

/** The ExportError of an HTTP answer that is not a success. */
export const httpStatusError = (status: number, body: string, secrets: readonly string[] = []): ExportError => {
  // authentication and routing failures (401, 403, 404) are configuration an admin fixes; only a
  // refusal of the content itself (400, 413, 422 …) cannot succeed on retry
  const retriable = status === 401 || status === 403 || status === 404 || status === 408 || status === 429 || status >= 500;
  const detail = safeDetail(body, secrets);
  return new ExportError(retriable ? 'export.http_status' : 'export.rejected', `the receiver answered ${status}${detail ? `: ${detail}` : ''}`, retriable);
};
