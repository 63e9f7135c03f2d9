/**
 * The conformance fixture: an MCP server with exactly the tools, resources and prompts that the
 * server scenarios of `@modelcontextprotocol/conformance` call by name (`test_simple_text`,
 * `test://static-text`, …). Run the suite against it directly for the baseline, or behind the proxy
 * to test the proxy.
 *
 * Ported from `examples/servers/typescript/everything-server.ts` in
 * https://github.com/modelcontextprotocol/conformance at tag v0.1.16
 * (commit 21a9a2febd7100d7c17ac1021ee7f2ed9f66a1e0). Copyright Anthropic, PBC and the MCP
 * contributors; MIT License (the package's declared license; the repository's LICENSE describes
 * the project's transition to Apache-2.0).
 *
 * Changes from the original, each on purpose:
 * - started and stopped in-process (`startConformanceFixture`) instead of a script on $PORT;
 *   `close()` closes every session transport and the HTTP server;
 * - one event store per session whose event ids carry a counter (`<stream>::<n>`), so events are
 *   replayed in the order they were stored: the original sorted `<stream>::<ms>_<uuid>` and
 *   replayed same-millisecond events out of order, and shared one store between all sessions (so
 *   `_GET_stream` could replay another session's events);
 * - an unknown session id is answered 404 (the client must re-initialize), a missing one 400;
 * - besides the Host header (as the original), a foreign Origin header is refused with 403;
 * - `test_sampling` parses the client's answer with `CreateMessageResultSchema` (the original
 *   used a request schema, so the result never parsed and the tool always reported an error);
 * - subscription state is per fixture instance, and there is no console output except errors.
 *
 * - `test_sampling` and the `test_elicitation*` tools still send their request with
 *   `server.request()` and no related request id, so it travels on the session's standalone GET
 *   stream, but first they wait (up to `standaloneStreamWaitMs`) until the client's GET is attached.
 *   The original sent at once; the SDK only stores a message for an unattached GET stream, and a
 *   client that opens its GET without Last-Event-ID never receives it, so the scenario timed out
 *   after 60 s whenever the client's GET lost the race with its tools/call POST (directly against
 *   the fixture, in-process: 2 of 4 whole-suite runs lost it at least once, each costing 60 s). Pass `standaloneStreamWaitMs: 0`
 *   to get the original behaviour, e.g. to test that a gateway buffers for a late GET.
 */
import { createServer } from 'node:http';
import type { Server as HttpServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { createMcpExpressApp } from '@modelcontextprotocol/sdk/server/express.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { EventId, EventStore, StreamId } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { normalizeObjectSchema } from '@modelcontextprotocol/sdk/server/zod-compat.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import {
  CompleteRequestSchema,
  CreateMessageResultSchema,
  ElicitResultSchema,
  ListToolsRequestSchema,
  SetLevelRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { ElicitResult, JSONRPCMessage, ListToolsResult, LoggingLevel, Tool } from '@modelcontextprotocol/sdk/types.js';

export interface ConformanceFixtureOptions {
  /** Interface to bind; default `127.0.0.1`. */
  host?: string;
  /** Port to bind; default 0 (any free port). */
  port?: number;
  /**
   * How long a tool that sends a request to the client (sampling, elicitation) waits for the
   * client's standalone GET stream before sending anyway; default 5000 ms, 0 as the original.
   */
  standaloneStreamWaitMs?: number;
}

export interface StartedConformanceFixture {
  /** The MCP endpoint, e.g. `http://127.0.0.1:41234/mcp`. */
  url: string;
  /** Closes every session transport, then the HTTP server and its connections. */
  close(): Promise<void>;
  /** Number of initialized sessions that are still open. */
  sessions(): number;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  server: McpServer;
}

// 1x1 red PNG pixel
const TEST_IMAGE_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==';
// minimal WAV file
const TEST_AUDIO_BASE64 = 'UklGRiYAAABXQVZFZm10IBAAAAABAAEAQB8AAAB9AAACABAAZGF0YQIAAAA=';
const WATCHED_RESOURCE_CONTENT = 'Watched resource content';

// SEP-1613: raw JSON Schema 2020-12 with $schema, $defs and additionalProperties, which SDKs must
// pass through unchanged
const JSON_SCHEMA_2020_12_INPUT_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object' as const,
  $defs: {
    address: {
      type: 'object',
      properties: { street: { type: 'string' }, city: { type: 'string' } },
    },
  },
  properties: {
    name: { type: 'string' },
    address: { $ref: '#/$defs/address' },
  },
  additionalProperties: false,
};

const LOCALHOST_NAMES = ['localhost', '127.0.0.1', '[::1]'];
const WILDCARD_HOSTS = ['0.0.0.0', '::'];

/**
 * In-memory event store for one session (resumability, SEP-1699). Event ids are
 * `<streamId>::<n>` with `n` from a counter, so replay order is storage order.
 */
class SessionEventStore implements EventStore {
  #lastSequence = 0;
  readonly #streams = new Map<StreamId, { sequence: number; eventId: EventId; message: JSONRPCMessage }[]>();

  async storeEvent(streamId: StreamId, message: JSONRPCMessage): Promise<EventId> {
    const sequence = ++this.#lastSequence;
    const eventId = `${streamId}::${sequence}`;
    let events = this.#streams.get(streamId);
    if (!events) {
      events = [];
      this.#streams.set(streamId, events);
    }
    events.push({ sequence, eventId, message });
    return eventId;
  }

  async getStreamIdForEventId(eventId: EventId): Promise<StreamId | undefined> {
    const parsed = parseEventId(eventId);
    return parsed && this.#streams.get(parsed.streamId)?.some((event) => event.sequence === parsed.sequence)
      ? parsed.streamId
      : undefined;
  }

  async replayEventsAfter(
    lastEventId: EventId,
    { send }: { send: (eventId: EventId, message: JSONRPCMessage) => Promise<void> },
  ): Promise<StreamId> {
    const parsed = parseEventId(lastEventId);
    if (!parsed) throw new Error(`invalid event id: ${lastEventId}`);
    for (const event of this.#streams.get(parsed.streamId) ?? []) {
      // priming events are stored as `{}` and are not replayed
      if (event.sequence > parsed.sequence && Object.keys(event.message).length > 0) {
        await send(event.eventId, event.message);
      }
    }
    return parsed.streamId;
  }
}

const parseEventId = (eventId: EventId): { streamId: StreamId; sequence: number } | undefined => {
  const separator = eventId.lastIndexOf('::');
  if (separator <= 0) return undefined;
  const sequence = Number(eventId.slice(separator + 2));
  return Number.isSafeInteger(sequence) && sequence > 0
    ? { streamId: eventId.slice(0, separator), sequence }
    : undefined;
};

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const sendJsonRpcError = (res: Response, status: number, code: number, message: string): void => {
  res.status(status).json({ jsonrpc: '2.0', error: { code, message }, id: null });
};

interface FixtureContext {
  transportFor(sessionId: string): StreamableHTTPServerTransport | undefined;
  /** Resolves once the session's standalone GET stream is attached, or when the wait runs out. */
  untilStandaloneStream(sessionId: string | undefined): Promise<void>;
  resourceSubscriptions: Set<string>;
}

const STANDALONE_STREAM_ID = '_GET_stream';

/** Whether the client's GET stream is attached; reads SDK internals (SDK 1.32.2), as the tools/list override does. */
const standaloneStreamAttached = (transport: StreamableHTTPServerTransport): boolean => {
  const streams = (transport as unknown as { _webStandardTransport?: { _streamMapping?: unknown } })._webStandardTransport
    ?._streamMapping;
  if (!(streams instanceof Map)) {
    throw new Error('conformance fixture: the SDK transport no longer has _webStandardTransport._streamMapping');
  }
  return streams.has(STANDALONE_STREAM_ID);
};

/** One MCP server per session, as in the original. */
function createMcpServer(context: FixtureContext): McpServer {
  const mcpServer = new McpServer(
    { name: 'mcp-conformance-test-server', version: '1.0.0' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { subscribe: true, listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        completions: {},
      },
    },
  );

  const sendLog = (level: LoggingLevel, message: string, data?: unknown): void => {
    mcpServer.server
      .notification({
        method: 'notifications/message',
        params: { level, logger: 'conformance-test-server', data: data ?? message },
      })
      .catch(() => {
        // no client connected: nothing to log to
      });
  };

  const elicitationText = (prefix: string, result: ElicitResult): string =>
    `${prefix}: action=${result.action}, content=${JSON.stringify(result.content ?? {})}`;

  // ===== TOOLS =====

  mcpServer.registerTool('test_simple_text', { description: 'Tests simple text content response' }, () => ({
    content: [{ type: 'text', text: 'This is a simple text response for testing.' }],
  }));

  mcpServer.registerTool('test_image_content', { description: 'Tests image content response' }, () => ({
    content: [{ type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' }],
  }));

  mcpServer.registerTool('test_audio_content', { description: 'Tests audio content response' }, () => ({
    content: [{ type: 'audio', data: TEST_AUDIO_BASE64, mimeType: 'audio/wav' }],
  }));

  mcpServer.registerTool(
    'test_embedded_resource',
    { description: 'Tests embedded resource content response' },
    () => ({
      content: [
        {
          type: 'resource',
          resource: {
            uri: 'test://embedded-resource',
            mimeType: 'text/plain',
            text: 'This is an embedded resource content.',
          },
        },
      ],
    }),
  );

  mcpServer.registerTool(
    'test_multiple_content_types',
    { description: 'Tests response with multiple content types (text, image, resource)' },
    () => ({
      content: [
        { type: 'text', text: 'Multiple content types test:' },
        { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' },
        {
          type: 'resource',
          resource: {
            uri: 'test://mixed-content-resource',
            mimeType: 'application/json',
            text: JSON.stringify({ test: 'data', value: 123 }),
          },
        },
      ],
    }),
  );

  // an empty inputSchema makes the callback receive (args, extra)
  mcpServer.registerTool(
    'test_tool_with_logging',
    { description: 'Tests tool that emits log messages during execution', inputSchema: {} },
    async (_args, { sendNotification }) => {
      await sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'Tool execution started' } });
      await sleep(50);
      await sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'Tool processing data' } });
      await sleep(50);
      await sendNotification({ method: 'notifications/message', params: { level: 'info', data: 'Tool execution completed' } });
      return { content: [{ type: 'text', text: 'Tool with logging executed successfully' }] };
    },
  );

  mcpServer.registerTool(
    'test_tool_with_progress',
    { description: 'Tests tool that reports progress notifications', inputSchema: {} },
    async (_args, { sendNotification, _meta }) => {
      const progressToken = _meta?.progressToken ?? 0;
      for (const progress of [0, 50, 100]) {
        if (progress > 0) await sleep(50);
        await sendNotification({
          method: 'notifications/progress',
          params: { progressToken, progress, total: 100, message: `Completed step ${progress} of 100` },
        });
      }
      return { content: [{ type: 'text', text: String(progressToken) }] };
    },
  );

  mcpServer.registerTool('test_error_handling', { description: 'Tests error response handling' }, () => {
    throw new Error('This tool intentionally returns an error for testing');
  });

  // SEP-1699: closes the request's SSE stream mid-call; the client must reconnect to get the result
  mcpServer.registerTool(
    'test_reconnection',
    {
      description:
        'Tests SSE stream disconnection and client reconnection (SEP-1699). Server will close the stream mid-call and send the result after client reconnects.',
      inputSchema: {},
    },
    async (_args, { sessionId, requestId }) => {
      const transport = sessionId === undefined ? undefined : context.transportFor(sessionId);
      transport?.closeSSEStream(requestId);
      // give the client time to reconnect (it should honour the retry field)
      await sleep(100);
      return {
        content: [
          {
            type: 'text',
            text: 'Reconnection test completed successfully. If you received this, the client properly reconnected after stream closure.',
          },
        ],
      };
    },
  );

  mcpServer.registerTool(
    'test_sampling',
    {
      description: 'Tests server-initiated sampling (LLM completion request)',
      inputSchema: { prompt: z.string().describe('The prompt to send to the LLM') },
    },
    async ({ prompt }, { sessionId }) => {
      try {
        await context.untilStandaloneStream(sessionId);
        const result = await mcpServer.server.request(
          {
            method: 'sampling/createMessage',
            params: { messages: [{ role: 'user', content: { type: 'text', text: prompt } }], maxTokens: 100 },
          },
          CreateMessageResultSchema,
        );
        const modelResponse = !Array.isArray(result.content) && result.content.type === 'text' ? result.content.text : 'No response';
        return { content: [{ type: 'text', text: `LLM response: ${modelResponse}` }] };
      } catch (error) {
        return { content: [{ type: 'text', text: `Sampling not supported or error: ${errorMessage(error)}` }] };
      }
    },
  );

  mcpServer.registerTool(
    'test_elicitation',
    {
      description: 'Tests server-initiated elicitation (user input request)',
      inputSchema: { message: z.string().describe('The message to show the user') },
    },
    async ({ message }, { sessionId }) => {
      try {
        await context.untilStandaloneStream(sessionId);
        const result = await mcpServer.server.request(
          {
            method: 'elicitation/create',
            params: {
              message,
              requestedSchema: {
                type: 'object',
                properties: { response: { type: 'string', description: "User's response" } },
                required: ['response'],
              },
            },
          },
          ElicitResultSchema,
        );
        return { content: [{ type: 'text', text: elicitationText('User response', result) }] };
      } catch (error) {
        return { content: [{ type: 'text', text: `Elicitation not supported or error: ${errorMessage(error)}` }] };
      }
    },
  );

  // SEP-1034: elicitation with default values for all primitive types
  mcpServer.registerTool(
    'test_elicitation_sep1034_defaults',
    { description: 'Tests elicitation with default values per SEP-1034', inputSchema: {} },
    async (_args, { sessionId }) => {
      try {
        await context.untilStandaloneStream(sessionId);
        const result = await mcpServer.server.request(
          {
            method: 'elicitation/create',
            params: {
              message: 'Please review and update the form fields with defaults',
              requestedSchema: {
                type: 'object',
                properties: {
                  name: { type: 'string', description: 'User name', default: 'John Doe' },
                  age: { type: 'integer', description: 'User age', default: 30 },
                  score: { type: 'number', description: 'User score', default: 95.5 },
                  status: {
                    type: 'string',
                    description: 'User status',
                    enum: ['active', 'inactive', 'pending'],
                    default: 'active',
                  },
                  verified: { type: 'boolean', description: 'Verification status', default: true },
                },
                required: [],
              },
            },
          },
          ElicitResultSchema,
        );
        return { content: [{ type: 'text', text: elicitationText('Elicitation completed', result) }] };
      } catch (error) {
        return { content: [{ type: 'text', text: `Elicitation not supported or error: ${errorMessage(error)}` }] };
      }
    },
  );

  // SEP-1330: the five enum schema variants
  mcpServer.registerTool(
    'test_elicitation_sep1330_enums',
    { description: 'Tests elicitation with enum schema improvements per SEP-1330', inputSchema: {} },
    async (_args, { sessionId }) => {
      try {
        await context.untilStandaloneStream(sessionId);
        const result = await mcpServer.server.request(
          {
            method: 'elicitation/create',
            params: {
              message: 'Please select options from the enum fields',
              requestedSchema: {
                type: 'object',
                properties: {
                  untitledSingle: {
                    type: 'string',
                    description: 'Select one option',
                    enum: ['option1', 'option2', 'option3'],
                  },
                  titledSingle: {
                    type: 'string',
                    description: 'Select one option with titles',
                    oneOf: [
                      { const: 'value1', title: 'First Option' },
                      { const: 'value2', title: 'Second Option' },
                      { const: 'value3', title: 'Third Option' },
                    ],
                  },
                  // deprecated enumNames form
                  legacyEnum: {
                    type: 'string',
                    description: 'Select one option (legacy)',
                    enum: ['opt1', 'opt2', 'opt3'],
                    enumNames: ['Option One', 'Option Two', 'Option Three'],
                  },
                  untitledMulti: {
                    type: 'array',
                    description: 'Select multiple options',
                    minItems: 1,
                    maxItems: 3,
                    items: { type: 'string', enum: ['option1', 'option2', 'option3'] },
                  },
                  titledMulti: {
                    type: 'array',
                    description: 'Select multiple options with titles',
                    minItems: 1,
                    maxItems: 3,
                    items: {
                      anyOf: [
                        { const: 'value1', title: 'First Choice' },
                        { const: 'value2', title: 'Second Choice' },
                        { const: 'value3', title: 'Third Choice' },
                      ],
                    },
                  },
                },
                required: [],
              },
            },
          },
          ElicitResultSchema,
        );
        return { content: [{ type: 'text', text: elicitationText('Elicitation completed', result) }] };
      } catch (error) {
        return { content: [{ type: 'text', text: `Elicitation not supported or error: ${errorMessage(error)}` }] };
      }
    },
  );

  // SEP-1613: validated with zod on tools/call, listed with the raw JSON Schema 2020-12 (below)
  mcpServer.registerTool(
    'json_schema_2020_12_tool',
    {
      description: 'Tool with JSON Schema 2020-12 features for conformance testing (SEP-1613)',
      inputSchema: {
        name: z.string().optional(),
        address: z.object({ street: z.string().optional(), city: z.string().optional() }).optional(),
      },
    },
    (args) => ({
      content: [{ type: 'text', text: `JSON Schema 2020-12 tool called with: ${JSON.stringify(args)}` }],
    }),
  );

  // ===== RESOURCES =====

  mcpServer.registerResource(
    'static-text',
    'test://static-text',
    { title: 'Static Text Resource', description: 'A static text resource for testing', mimeType: 'text/plain' },
    () => ({
      contents: [
        { uri: 'test://static-text', mimeType: 'text/plain', text: 'This is the content of the static text resource.' },
      ],
    }),
  );

  mcpServer.registerResource(
    'static-binary',
    'test://static-binary',
    { title: 'Static Binary Resource', description: 'A static binary resource (image) for testing', mimeType: 'image/png' },
    () => ({ contents: [{ uri: 'test://static-binary', mimeType: 'image/png', blob: TEST_IMAGE_BASE64 }] }),
  );

  mcpServer.registerResource(
    'template',
    new ResourceTemplate('test://template/{id}/data', { list: undefined }),
    {
      title: 'Resource Template',
      description: 'A resource template with parameter substitution',
      mimeType: 'application/json',
    },
    (uri, variables) => {
      const id = variables['id'];
      return {
        contents: [
          {
            uri: uri.toString(),
            mimeType: 'application/json',
            text: JSON.stringify({ id, templateTest: true, data: `Data for ID: ${String(id)}` }),
          },
        ],
      };
    },
  );

  mcpServer.registerResource(
    'watched-resource',
    'test://watched-resource',
    { title: 'Watched Resource', description: 'A resource that auto-updates every 3 seconds', mimeType: 'text/plain' },
    () => ({ contents: [{ uri: 'test://watched-resource', mimeType: 'text/plain', text: WATCHED_RESOURCE_CONTENT }] }),
  );

  mcpServer.server.setRequestHandler(SubscribeRequestSchema, (request) => {
    context.resourceSubscriptions.add(request.params.uri);
    sendLog('info', `Subscribed to resource: ${request.params.uri}`);
    return {};
  });

  mcpServer.server.setRequestHandler(UnsubscribeRequestSchema, (request) => {
    context.resourceSubscriptions.delete(request.params.uri);
    sendLog('info', `Unsubscribed from resource: ${request.params.uri}`);
    return {};
  });

  // ===== PROMPTS =====

  mcpServer.registerPrompt(
    'test_simple_prompt',
    { title: 'Simple Test Prompt', description: 'A simple prompt without arguments' },
    () => ({ messages: [{ role: 'user', content: { type: 'text', text: 'This is a simple prompt for testing.' } }] }),
  );

  mcpServer.registerPrompt(
    'test_prompt_with_arguments',
    {
      title: 'Prompt With Arguments',
      description: 'A prompt with required arguments',
      argsSchema: {
        arg1: z.string().describe('First test argument'),
        arg2: z.string().describe('Second test argument'),
      },
    },
    ({ arg1, arg2 }) => ({
      messages: [{ role: 'user', content: { type: 'text', text: `Prompt with arguments: arg1='${arg1}', arg2='${arg2}'` } }],
    }),
  );

  mcpServer.registerPrompt(
    'test_prompt_with_embedded_resource',
    {
      title: 'Prompt With Embedded Resource',
      description: 'A prompt that includes an embedded resource',
      argsSchema: { resourceUri: z.string().describe('URI of the resource to embed') },
    },
    ({ resourceUri }) => ({
      messages: [
        {
          role: 'user',
          content: {
            type: 'resource',
            resource: { uri: resourceUri, mimeType: 'text/plain', text: 'Embedded resource content for testing.' },
          },
        },
        { role: 'user', content: { type: 'text', text: 'Please process the embedded resource above.' } },
      ],
    }),
  );

  mcpServer.registerPrompt(
    'test_prompt_with_image',
    { title: 'Prompt With Image', description: 'A prompt that includes image content' },
    () => ({
      messages: [
        { role: 'user', content: { type: 'image', data: TEST_IMAGE_BASE64, mimeType: 'image/png' } },
        { role: 'user', content: { type: 'text', text: 'Please analyze the image above.' } },
      ],
    }),
  );

  // ===== LOGGING =====

  mcpServer.server.setRequestHandler(SetLevelRequestSchema, (request) => {
    sendLog('info', `Log level set to: ${request.params.level}`);
    return {};
  });

  // ===== COMPLETION =====

  // an empty completion is enough for conformance
  mcpServer.server.setRequestHandler(CompleteRequestSchema, () => ({
    completion: { values: [], total: 0, hasMore: false },
  }));

  // ===== SEP-1613: tools/list with the raw JSON Schema 2020-12 =====
  // registerTool converts zod to JSON Schema and loses $schema, $defs and additionalProperties, so
  // this replaces the SDK's tools/list handler (reading the SDK's internal tool registry, as the
  // original does) and returns the raw schema for that one tool.
  const registeredTools = (mcpServer as unknown as { _registeredTools: Record<string, RegisteredTool> })._registeredTools;
  mcpServer.server.setRequestHandler(
    ListToolsRequestSchema,
    (): ListToolsResult => ({
      tools: Object.entries(registeredTools)
        .filter(([, tool]) => tool.enabled)
        .map(([name, tool]): Tool => {
          if (name === 'json_schema_2020_12_tool') {
            return { name, description: tool.description, inputSchema: JSON_SCHEMA_2020_12_INPUT_SCHEMA };
          }
          const objectSchema = normalizeObjectSchema(tool.inputSchema);
          const inputSchema: Tool['inputSchema'] = objectSchema
            ? (toJsonSchemaCompat(objectSchema, { strictUnions: true, pipeStrategy: 'input' }) as Tool['inputSchema'])
            : { type: 'object', properties: {} };
          return { name, title: tool.title, description: tool.description, inputSchema, annotations: tool.annotations, _meta: tool._meta };
        }),
    }),
  );

  return mcpServer;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const isInitializeRequest = (body: unknown): boolean =>
  typeof body === 'object' && body !== null && 'method' in body && body.method === 'initialize';

/** Hostnames the Host and Origin headers may name: localhost, plus the bound address if specific. */
const allowedHostnames = (host: string): string[] => {
  if (WILDCARD_HOSTS.includes(host)) return LOCALHOST_NAMES;
  const hostname = host.includes(':') ? `[${host}]` : host;
  return LOCALHOST_NAMES.includes(hostname) ? LOCALHOST_NAMES : [...LOCALHOST_NAMES, hostname];
};

/** DNS-rebinding protection for the Origin header (the Host header is checked by the SDK's middleware). */
const originValidation =
  (allowed: string[]): RequestHandler =>
  (req, res, next) => {
    const origin = req.header('origin');
    if (origin === undefined) {
      next();
      return;
    }
    let hostname: string | undefined;
    try {
      hostname = new URL(origin).hostname;
    } catch {
      hostname = undefined;
    }
    if (hostname === undefined || !allowed.includes(hostname)) {
      sendJsonRpcError(res, 403, -32000, `Invalid Origin: ${origin}`);
      return;
    }
    next();
  };

// CORS as the original configures it with the cors package (any origin; the session id readable)
const cors: RequestHandler = (req, res, next) => {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', 'Mcp-Session-Id');
  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET,HEAD,PUT,PATCH,POST,DELETE');
    res.setHeader('Access-Control-Allow-Headers', 'Content-Type, mcp-session-id, last-event-id');
    res.status(204).end();
    return;
  }
  next();
};

// a body express.json() could not read: answer as JSON-RPC instead of express's HTML error page
const bodyErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  const status = typeof error === 'object' && error !== null && 'status' in error ? error.status : undefined;
  if (res.headersSent || typeof status !== 'number' || status < 400 || status >= 500) {
    next(error);
    return;
  }
  const parseFailed = typeof error === 'object' && error !== null && 'type' in error && error.type === 'entity.parse.failed';
  sendJsonRpcError(res, status, parseFailed ? -32700 : -32600, parseFailed ? 'Parse error' : errorMessage(error));
};

/**
 * Starts the conformance fixture in this process: Streamable HTTP on `/mcp`, stateful sessions,
 * resumable streams, DNS-rebinding protection.
 */
export async function startConformanceFixture(options: ConformanceFixtureOptions = {}): Promise<StartedConformanceFixture> {
  const host = options.host ?? '127.0.0.1';
  const sessions = new Map<string, Session>();
  // every transport ever created and not yet closed, including ones whose initialize is in flight
  const transports = new Set<StreamableHTTPServerTransport>();
  let closing = false;

  const standaloneStreamWaitMs = options.standaloneStreamWaitMs ?? 5000;
  const context: FixtureContext = {
    transportFor: (sessionId) => sessions.get(sessionId)?.transport,
    untilStandaloneStream: async (sessionId) => {
      const deadline = Date.now() + standaloneStreamWaitMs;
      for (;;) {
        const transport = sessionId === undefined ? undefined : sessions.get(sessionId)?.transport;
        if (!transport || Date.now() >= deadline || standaloneStreamAttached(transport)) return;
        await sleep(5);
      }
    },
    resourceSubscriptions: new Set<string>(),
  };

  const allowed = allowedHostnames(host);
  const app = createMcpExpressApp({ host, allowedHosts: allowed });
  app.use(originValidation(allowed));
  app.use(cors);
  app.use((_req, res, next) => {
    if (closing) {
      sendJsonRpcError(res, 503, -32000, 'Server is shutting down');
      return;
    }
    next();
  });

  /** The open session named by the request, or an error response: 400 when missing, 404 when unknown. */
  const sessionOf = (sessionId: string | undefined, res: Response): Session | undefined => {
    if (!sessionId) {
      sendJsonRpcError(res, 400, -32000, 'Bad Request: Mcp-Session-Id header is required');
      return undefined;
    }
    const session = sessions.get(sessionId);
    if (!session) sendJsonRpcError(res, 404, -32001, 'Session not found');
    return session;
  };

  const failed = (res: Response, what: string, error: unknown): void => {
    console.error(`conformance fixture: error handling ${what}:`, error);
    if (!res.headersSent) sendJsonRpcError(res, 500, -32603, 'Internal server error');
  };

  app.post('/mcp', async (req, res) => {
    const sessionId = req.header('mcp-session-id');
    const body: unknown = req.body;
    try {
      if (sessionId || !isInitializeRequest(body)) {
        const session = sessionOf(sessionId, res);
        if (session) await session.transport.handleRequest(req, res, body);
        return;
      }
      const server = createMcpServer(context);
      const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
        sessionIdGenerator: () => randomUUID(),
        eventStore: new SessionEventStore(),
        retryInterval: 5000, // SEP-1699
        onsessioninitialized: (newSessionId) => {
          sessions.set(newSessionId, { transport, server });
        },
      });
      transports.add(transport);
      transport.onclose = () => {
        transports.delete(transport);
        if (transport.sessionId !== undefined) sessions.delete(transport.sessionId);
      };
      await server.connect(transport);
      await transport.handleRequest(req, res, body);
      // an initialize the transport refused leaves a transport without a session: drop it
      if (transport.sessionId === undefined) await transport.close();
    } catch (error) {
      failed(res, 'POST', error);
    }
  });

  // GET opens the standalone SSE stream (or resumes one with Last-Event-ID); DELETE ends the session
  const handleWithSession: RequestHandler = async (req, res) => {
    try {
      const session = sessionOf(req.header('mcp-session-id'), res);
      if (session) await session.transport.handleRequest(req, res);
    } catch (error) {
      failed(res, req.method, error);
    }
  };
  app.get('/mcp', handleWithSession);
  app.delete('/mcp', handleWithSession);
  app.use(bodyErrors);

  const httpServer: HttpServer = createServer(app);
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const { port } = httpServer.address() as AddressInfo;
  const urlHost = WILDCARD_HOSTS.includes(host) ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/mcp`,
    sessions: () => sessions.size,
    close: async () => {
      closing = true;
      const results = await Promise.allSettled([...transports].map((transport) => transport.close()));
      for (const result of results) {
        if (result.status === 'rejected') console.error('conformance fixture: closing a session failed:', result.reason);
      }
      transports.clear();
      sessions.clear();
      await new Promise<void>((resolve, reject) => {
        httpServer.close((error) => (error ? reject(error) : resolve()));
        httpServer.closeAllConnections();
      });
    },
  };
}
