import { z } from 'zod';

/** Builds the schema of one command: `{ type: <literal>, data }`. Commands are imperative (`IssueVirtualKey`). */
export const commandSchema = <T extends string, D extends z.ZodType>(type: T, data: D) => z.object({ type: z.literal(type), data });
