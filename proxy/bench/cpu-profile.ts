/**
 * Reads a V8 `.cpuprofile` (what `node --cpu-prof` writes) and sums self time per function over a
 * time window: each sample is charged to the function on top of the stack, for the time until the
 * next sample. Timestamps are microseconds on the monotonic clock, the same clock as
 * `process.hrtime`, so a window measured in the parent selects the samples of one load phase.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly function: string;
  readonly where: string;
  /** The nearest project function (proxy/src, contracts/src) on the stack, on the heaviest such path. */
  readonly via: string;
  readonly selfMs: number;
  /** Share of the busy (non-idle) time in the window. */
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly windowMs: number;
  readonly busyMs: number;
  readonly idleMs: number;
  /** Whether the window matched samples; if not, the whole profile was used. */
  readonly windowed: boolean;
  readonly top: readonly SelfTime[];
  /**
   * Time charged to the nearest project function on the stack (its own code plus the library and
   * Node code it calls, but not other project functions): what each step of the hot path costs.
   */
  readonly byProjectFunction: readonly { readonly function: string; readonly selfMs: number; readonly percent: number }[];
  /** Self time grouped by where the code lives: proxy/src, contracts, a package, Node internals, GC. */
  readonly byArea: readonly { readonly area: string; readonly selfMs: number; readonly percent: number }[];
}

const round = (value: number, digits = 1) => +value.toFixed(digits);

const PROJECT_CODE = /\/(?:proxy|contracts)\/src\//;

const pathOf = (url: string, root: string): string => {
  if (!url) return '';
  if (!url.startsWith('file://')) return url;
  return relative(root, fileURLToPath(url));
};

const areaOf = (frame: CallFrame, root: string): string => {
  if (!frame.url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  if (frame.url.startsWith('node:')) return 'node internals';
  const path = pathOf(frame.url, root);
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (module) return module[1]!;
  if (path.startsWith('proxy/src/')) return `proxy/src/${path.split('/')[2]}`;
  if (path.startsWith('contracts/')) return 'contracts';
  return path;
};

/**
 * Frames of bundled code (a compiled child with its `.map` beside it) pointed back at the original
 * TypeScript: file and line of the function's start.
 */
const sourceMapped = (nodes: readonly ProfileNode[]): Map<number, CallFrame> => {
  const maps = new Map<string, { map: SourceMap; dir: string } | undefined>();
  const mapOf = (url: string) => {
    if (!maps.has(url)) {
      const file = url.startsWith('file://') ? fileURLToPath(url) : '';
      const mapFile = `${file}.map`;
      maps.set(url, file && existsSync(mapFile) ? { map: new SourceMap(JSON.parse(readFileSync(mapFile, 'utf8')) as ConstructorParameters<typeof SourceMap>[0]), dir: dirname(mapFile) } : undefined);
    }
    return maps.get(url);
  };
  return new Map(
    nodes.map((node) => {
      const frame = node.callFrame;
      const mapped = frame.url.endsWith('.mjs') ? mapOf(frame.url) : undefined;
      const entry = mapped?.map.findEntry(frame.lineNumber, frame.columnNumber);
      if (!mapped || !entry || !('originalSource' in entry)) return [node.id, frame];
      const source = entry.originalSource.startsWith('file://') || isAbsolute(entry.originalSource) ? entry.originalSource : resolve(mapped.dir, entry.originalSource);
      const url = source.startsWith('file://') ? source : pathToFileURL(source).href;
      return [node.id, { ...frame, url, lineNumber: entry.originalLine, columnNumber: entry.originalColumn }];
    }),
  );
};

/**
 * The top `limit` functions by self time between `fromUs` and `toUs` (monotonic µs), excluding
 * `(idle)`; `root` makes file paths relative.
 */
export const summarizeProfile = (file: string, root: string, window: { readonly fromUs: number; readonly toUs: number } | undefined, limit = 15): ProfileSummary => {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = sourceMapped(profile.nodes);
  const parents = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
  // the nearest project frame of each node (itself included), found once per node
  const projectFrames = new Map<number, CallFrame | undefined>();
  const projectFrameOf = (id: number): CallFrame | undefined => {
    if (projectFrames.has(id)) return projectFrames.get(id);
    const frame = frames.get(id)!;
    const parent = parents.get(id);
    const found = PROJECT_CODE.test(frame.url) ? frame : parent === undefined ? undefined : projectFrameOf(parent);
    projectFrames.set(id, found);
    return found;
  };
  const perFunction = new Map<string, { frame: CallFrame; us: number; via: Map<string, number> }>();
  const perArea = new Map<string, number>();
  const perProjectFunction = new Map<string, number>();
  const collect = (from: number, to: number) => {
    let busy = 0;
    let idle = 0;
    let time = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      time += profile.timeDeltas[i]!;
      if (time < from || time >= to) continue;
      const next = i + 1 < profile.samples.length ? time + profile.timeDeltas[i + 1]! : profile.endTime;
      const us = Math.max(0, Math.min(next, to) - time);
      const frame = frames.get(profile.samples[i]!)!;
      if (frame.functionName === '(idle)') {
        idle += us;
        continue;
      }
      busy += us;
      const anonymous = !frame.functionName;
      const key = `${frame.functionName}\u0000${frame.url}${anonymous ? `:${frame.lineNumber}` : ''}`;
      const entry = perFunction.get(key) ?? { frame, us: 0, via: new Map<string, number>() };
      entry.us += us;
      perFunction.set(key, entry);
      const project = projectFrameOf(profile.samples[i]!);
      const via = project ? `${project.functionName || '(anonymous)'} (${pathOf(project.url, root)})` : '';
      entry.via.set(via, (entry.via.get(via) ?? 0) + us);
      const owner = via || (frame.functionName.startsWith('(') ? frame.functionName : '(no project code on the stack: Node HTTP, sockets, timers)');
      perProjectFunction.set(owner, (perProjectFunction.get(owner) ?? 0) + us);
      const area = areaOf(frame, root);
      perArea.set(area, (perArea.get(area) ?? 0) + us);
    }
    return { busy, idle };
  };
  let windowed = window !== undefined;
  let totals = window ? collect(window.fromUs, window.toUs) : { busy: 0, idle: 0 };
  if (!window || totals.busy + totals.idle === 0) {
    windowed = false;
    perFunction.clear();
    perArea.clear();
    perProjectFunction.clear();
    totals = collect(-Infinity, Infinity);
  }
  const percent = (us: number) => round((100 * us) / Math.max(1, totals.busy));
  const top = [...perFunction.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, limit)
    .map(({ frame, us, via }) => ({
      function: frame.functionName || '(anonymous)',
      // TypeScript compiled by tsx reports every function on line 1: the file says enough there
      where: frame.url ? `${pathOf(frame.url, root)}${frame.lineNumber > 0 ? `:${frame.lineNumber + 1}` : ''}` : '',
      via: [...via.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '',
      selfMs: round(us / 1000),
      percent: percent(us),
    }));
  const byArea = [...perArea.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 12)
    .map(([area, us]) => ({ area, selfMs: round(us / 1000), percent: percent(us) }));
  const byProjectFunction = [...perProjectFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([name, us]) => ({ function: name, selfMs: round(us / 1000), percent: percent(us) }));
  return {
    file: relative(root, file),
    windowMs: round(window && windowed ? (window.toUs - window.fromUs) / 1000 : (profile.endTime - profile.startTime) / 1000),
    busyMs: round(totals.busy / 1000),
    idleMs: round(totals.idle / 1000),
    windowed,
    top,
    byProjectFunction,
    byArea,
  };
};
