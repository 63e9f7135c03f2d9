import { z } from 'zod';
import { eventSchema } from '../envelope.js';
import { Slug, UpstreamServerId, VirtualServerId } from '../ids.js';
import { ToolGlob } from '../policy/policy-rules.js';

/** How tool names of several upstreams are kept apart in a virtual server's catalogue. */
export const PrefixMode = z.enum(['always', 'on-collision', 'never']);
export type PrefixMode = z.infer<typeof PrefixMode>;

/** A virtual MCP server: one endpoint (`/mcp/<name>`) bundling chosen tools of several upstreams. */
export const VirtualServerConfig = z.object({
  name: Slug,
  description: z.string().max(1000).default(''),
  prefixMode: PrefixMode.default('on-collision'),
  /** Which tools of which upstream the bundle exposes, as globs over the upstream's own names. */
  upstreams: z
    .array(z.object({ serverId: UpstreamServerId, tools: z.array(ToolGlob).min(1).max(500).default(['*']) }))
    .min(1)
    .max(50),
  /** Lets callers in without any credential. Insecure, off by default, flagged wherever shown. */
  anonymousAccess: z.boolean().default(false),
});
export type VirtualServerConfig = z.infer<typeof VirtualServerConfig>;

export const VirtualServerCreated = eventSchema(
  'VirtualServerCreated',
  z.object({ virtualServerId: VirtualServerId, config: VirtualServerConfig }),
);
export const VirtualServerReconfigured = eventSchema('VirtualServerReconfigured', z.object({ config: VirtualServerConfig }));
export const VirtualServerDeleted = eventSchema('VirtualServerDeleted', z.object({}));

export const VirtualServerEvent = z.discriminatedUnion('type', [VirtualServerCreated, VirtualServerReconfigured, VirtualServerDeleted]);
export type VirtualServerEvent = z.infer<typeof VirtualServerEvent>;
