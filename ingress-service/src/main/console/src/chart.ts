import { HISTORY_MINUTES, type Point } from './history';

// An inline SVG line chart of backlog and deliveries per second; no chart library, so the page
// stays small. Each series is scaled to its own maximum, which the legend states.

const WIDTH = 600;
const HEIGHT = 160;
const PAD = 4;
const SVG = 'http://www.w3.org/2000/svg';

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  return element;
}

function line(points: Point[], value: (p: Point) => number, max: number, from: number, span: number): string {
  return points.map((p) => {
    const x = PAD + ((p.at - from) / span) * (WIDTH - 2 * PAD);
    const y = HEIGHT - PAD - (max > 0 ? value(p) / max : 0) * (HEIGHT - 2 * PAD);
    return `${x.toFixed(1)},${y.toFixed(1)}`;
  }).join(' ');
}

/** Draws the chart into `figure`, replacing what it showed. */
export function drawChart(figure: HTMLElement, points: Point[]): void {
  const now = Date.now();
  // A fresh page has seconds of history, not minutes: the axis grows with it (a minute at least,
  // the kept history at most), so the first samples are not squeezed against the right edge.
  const oldest = points.length > 0 ? now - points[0].at : 0;
  const span = Math.min(HISTORY_MINUTES * 60_000, Math.max(60_000, oldest));
  const from = now - span;
  const minutes = span >= 120_000 ? `${Math.round(span / 60_000)} minutes` : `${Math.round(span / 1000)} seconds`;
  const maxBacklog = Math.max(1, ...points.map((p) => p.backlog));
  const maxRate = Math.max(1, ...points.map((p) => p.perSecond));
  const latest = points[points.length - 1];
  const summary = latest
    ? `Backlog now ${latest.backlog} (at most ${maxBacklog} in view); `
      + `${latest.perSecond.toFixed(1)} deliveries per second now (at most ${maxRate.toFixed(1)})`
    : 'Collecting samples: the chart fills while this page stays open';

  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', class: 'chart' });
  const title = svg('title', {});
  title.textContent = `Last ${minutes}. ${summary}`;
  chart.append(title, svg('rect', { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: 'chart-frame' }));
  if (points.length > 1) {
    chart.append(
      svg('polyline', { points: line(points, (p) => p.backlog, maxBacklog, from, span), class: 'series-backlog' }),
      svg('polyline', { points: line(points, (p) => p.perSecond, maxRate, from, span), class: 'series-rate' }),
    );
  }
  const caption = document.createElement('figcaption');
  const legend = document.createElement('span');
  legend.className = 'legend';
  legend.append(swatch('series-backlog', `backlog (max ${maxBacklog})`),
    swatch('series-rate', `deliveries/s (max ${maxRate.toFixed(1)})`));
  const text = document.createElement('span');
  text.textContent = `Last ${minutes}. ${summary}.`;
  caption.append(legend, text);
  figure.replaceChildren(chart, caption);
}

function swatch(series: string, label: string): HTMLElement {
  const item = document.createElement('span');
  const mark = document.createElement('span');
  mark.className = `swatch ${series}`;
  mark.setAttribute('aria-hidden', 'true');
  item.append(mark, label);
  return item;
}
