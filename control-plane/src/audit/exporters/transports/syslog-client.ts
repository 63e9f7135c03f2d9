import { connect as netConnect, isIP, type Socket } from 'node:net';
import { checkServerIdentity, connect as tlsConnect } from 'node:tls';
import { ExportError, networkError } from '../exporter-error.js';

export interface SyslogTarget {
  readonly host: string;
  readonly port: number;
  readonly transport: 'tcp' | 'tls';
  readonly ca?: string | undefined;
  readonly serverName?: string | undefined;
  readonly clientCertificate?: string | undefined;
  readonly clientKey?: string | undefined;
  readonly timeoutMs: number;
}

/**
 * Sends a batch of octet-counted syslog frames on a connection of its own and returns once the
 * receiver has closed that connection cleanly. Syslog over TCP has no application acknowledgement,
 * so this is the strongest one plain TCP/TLS gives: we half-close after the last frame, the receiver
 * reads to the end and closes its side; a receiver that died, reset the connection or stopped
 * reading leaves us an error or a timeout, and the batch is sent again. (rsyslog's RELP would give
 * per-message acknowledgements; see README.md.)
 */
export const sendSyslogBatch = (target: SyslogTarget, frames: string): Promise<void> =>
  new Promise<void>((resolve, reject) => {
    let settled = false;
    let peerEnded = false;
    const finish = (error?: ExportError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve();
    };
    const socket: Socket =
      target.transport === 'tls'
        ? tlsConnect({
            host: target.host,
            port: target.port,
            minVersion: 'TLSv1.2',
            ...(target.ca ? { ca: target.ca } : {}),
            ...(target.clientCertificate && target.clientKey ? { cert: target.clientCertificate, key: target.clientKey } : {}),
            ...(target.serverName ? { servername: target.serverName } : isIP(target.host) ? {} : { servername: target.host }),
            ...(target.serverName ? { checkServerIdentity: (_host: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(target.serverName!, cert) } : {}),
          })
        : netConnect({ host: target.host, port: target.port });
    const timer = setTimeout(() => finish(new ExportError('export.timeout', `the syslog receiver did not take the batch within ${target.timeoutMs} ms`, true)), target.timeoutMs);
    socket.once(target.transport === 'tls' ? 'secureConnect' : 'connect', () => {
      socket.end(frames, 'utf8');
    });
    socket.on('data', () => {}); // a receiver has nothing to say; keep the stream flowing
    socket.once('end', () => {
      peerEnded = true;
    });
    socket.once('error', (error) => finish(networkError(error)));
    socket.once('close', (hadError) => {
      if (hadError) return finish(new ExportError('export.connection_closed', 'the syslog connection failed before the receiver took the batch', true));
      finish(peerEnded ? undefined : new ExportError('export.connection_closed', 'the syslog receiver closed the connection without reading the batch', true));
    });
  });
