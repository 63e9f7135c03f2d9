import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { Public } from './auth/permissions.js';
import type { ControlPlaneRuntime } from './runtime.js';
import { CONTROL_PLANE } from './tokens.js';

/**
 * Prometheus metrics, unauthenticated like the proxy's and like /healthz: the text holds counts,
 * states and ids, never a secret. Operators keep the port off the public internet or scrape
 * through their own network policy.
 */
@Controller()
export class MetricsController {
  constructor(@Inject(CONTROL_PLANE) private readonly runtime: ControlPlaneRuntime) {}

  @Public()
  @Get('metrics')
  async metrics(@Res() res: ServerResponse): Promise<void> {
    const { contentType, body } = await this.runtime.metrics.scrape();
    res.statusCode = 200;
    res.setHeader('content-type', contentType);
    res.setHeader('cache-control', 'no-store');
    res.end(body);
  }
}
