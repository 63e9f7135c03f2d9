import type { IncomingHttpHeaders } from 'node:http';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The host names the proxy answers to: loopback, the listen address, and what the operator configured. */
export const allowedHostSet = (listenHost: string, configured: readonly string[]): ReadonlySet<string> =>
  new Set([...LOOPBACK, ...(listenHost === '0.0.0.0' || listenHost === '::' ? [] : [listenHost]), ...configured].map((h) => h.toLowerCase()));

/** Host headers seen, parsed (agents send the same few on every request; bounded). */
const hostnames = new Map<string, string | undefined>();

const hostnameOf = (hostHeader: string): string | undefined => {
  if (hostnames.has(hostHeader)) return hostnames.get(hostHeader);
  let hostname: string | undefined;
  try {
    hostname = new URL(`http://${hostHeader}`).hostname.toLowerCase();
  } catch {
    hostname = undefined;
  }
  if (hostnames.size >= 1_000) hostnames.clear();
  hostnames.set(hostHeader, hostname);
  return hostname;
};

/**
 * DNS-rebinding protection: a browser tricked into calling the proxy sends a foreign Host (and
 * Origin). Both must name a host the proxy serves; agents that send no Origin are unaffected.
 */
export const checkHostAndOrigin = (headers: IncomingHttpHeaders, allowed: ReadonlySet<string>): string | undefined => {
  const host = headers.host ? hostnameOf(headers.host) : undefined;
  if (!host || !allowed.has(host)) return `host ${JSON.stringify(headers.host ?? '')} is not served here`;
  const origin = headers.origin;
  if (origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = new URL(origin).hostname.toLowerCase();
    } catch {
      originHost = undefined;
    }
    if (!originHost || !allowed.has(originHost)) return `origin ${JSON.stringify(origin)} is not allowed`;
  }
  return undefined;
};
