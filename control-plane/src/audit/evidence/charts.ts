import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One bar of a chart: a label on the x axis (time or category), a series, and a value. */
export interface ChartPoint {
  readonly x: string;
  readonly series: string;
  readonly value: number;
}

export interface ChartSpec {
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  /** `temporal`: x is an ISO time; `nominal`: a category (bars sorted by value). */
  readonly xType: 'temporal' | 'nominal';
  readonly points: readonly ChartPoint[];
  /** Colours by series name, so the same series looks the same in every chart. */
  readonly colors: Readonly<Record<string, string>>;
  readonly width?: number;
  readonly height?: number;
}

const FONT = 'Helvetica, Arial, sans-serif';

const AXIS = { labelFont: FONT, titleFont: FONT, labelColor: '#374151', titleColor: '#111827' };

const toVegaLite = (chart: ChartSpec): TopLevelSpec => {
  const series = Object.keys(chart.colors);
  const categories = new Set(chart.points.map((p) => p.x)).size;
  const color = {
    field: 'series',
    type: 'nominal' as const,
    title: null,
    scale: { domain: series, range: series.map((s) => chart.colors[s]!) },
    legend: { orient: 'top' as const, labelFont: FONT, labelColor: '#111827' },
  };
  const value = { field: 'value', type: 'quantitative' as const, aggregate: 'sum' as const, title: chart.yTitle, axis: { ...AXIS, tickMinStep: 1, format: 'd' } };
  const common = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: '#ffffff',
    padding: 8,
    title: { text: chart.title, anchor: 'start' as const, fontSize: 13, font: FONT, color: '#111827' },
    data: { values: chart.points.map((p) => ({ ...p })) },
    config: { view: { stroke: '#d1d5db' }, font: FONT },
  };
  // time buckets: vertical bars in time order, at most ~40 px wide so a few buckets do not fill the page
  if (chart.xType === 'temporal') {
    return {
      ...common,
      width: chart.width ?? Math.min(460, Math.max(160, categories * 40)),
      height: chart.height ?? 170,
      mark: { type: 'bar', tooltip: false },
      encoding: {
        x: { field: 'x', type: 'ordinal', title: chart.xTitle, scale: { paddingInner: 0.2 }, axis: { ...AXIS, labelAngle: -40, labelLimit: 160, labelOverlap: 'greedy' } },
        y: value,
        color,
      },
    };
  }
  // categories (reasons, tools) have long names: horizontal bars, most first, names in full
  return {
    ...common,
    width: chart.width ?? 300,
    height: chart.height ?? Math.max(40, categories * 22),
    mark: { type: 'bar', tooltip: false },
    encoding: {
      y: { field: 'x', type: 'nominal', title: chart.xTitle, sort: '-x', axis: { ...AXIS, labelLimit: 220 } },
      x: value,
      color,
    },
  };
};

/**
 * Renders a bar chart to an SVG string headless (vega's SVG renderer, no canvas, no DOM, no
 * network: the data is inline). The same SVG goes into the HTML report and the PDF.
 */
export const renderChart = async (chart: ChartSpec): Promise<string> => {
  const { spec } = compile(toVegaLite(chart));
  const view = new View(parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
};
