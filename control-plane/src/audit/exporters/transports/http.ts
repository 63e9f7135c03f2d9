import { ExportError, httpStatusError, networkError } from '../exporter-error.js';

export interface HttpPost {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly timeoutMs: number;
  /** Secrets in the request, kept out of any error text the receiver sends back. */
  readonly secrets?: readonly string[];
}

/**
 * POSTs one batch and returns the answer's body when the status is 2xx; any other outcome is an
 * ExportError that names the status or the network error code, never the request.
 */
export const postBatch = async ({ url, headers, body, timeoutMs, secrets = [] }: HttpPost): Promise<string> => {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    throw networkError(error);
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw networkError(error);
  }
  if (response.status < 200 || response.status > 299) throw httpStatusError(response.status, text, secrets);
  return text;
};

/** Parses a receiver's JSON answer, or says it is not JSON. */
export const parseAnswer = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    throw new ExportError('export.http_status', 'the receiver answered 2xx with a body that is not JSON', true);
  }
};
