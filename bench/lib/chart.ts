/** One bar: a measured value against its target (both in the same unit). */
export interface Bar {
  label: string;
  value: number;
  target: number;
  /** Whether lower values are better (latency, memory) or higher (throughput ratio). */
  lowerIsBetter: boolean;
  unit: string;
}

/**
 * A horizontal bar chart as SVG: each measurement as a share of its target, green when the target is met.
 * Written by hand (a few lines of SVG) so the benchmark needs no plotting library.
 */
export function barChartSvg(title: string, bars: Bar[]): string {
  const width = 760;
  const rowHeight = 34;
  const left = 300;
  const plot = width - left - 120;
  const height = 50 + bars.length * rowHeight + 30;
  const maxRatio = Math.max(1.2, ...bars.map((b) => b.value / b.target));
  const x = (ratio: number) => left + (Math.min(ratio, maxRatio) / maxRatio) * plot;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const rows = bars
    .map((b, i) => {
      const y = 45 + i * rowHeight;
      const ratio = b.value / b.target;
      const met = b.lowerIsBetter ? b.value <= b.target : b.value >= b.target;
      return [
        `<text x="${left - 8}" y="${y + 16}" text-anchor="end" font-size="13">${esc(b.label)}</text>`,
        `<rect x="${left}" y="${y + 4}" width="${Math.max(1, x(ratio) - left).toFixed(1)}" height="18" fill="${met ? '#2e8b57' : '#c0392b'}"/>`,
        `<text x="${x(ratio) + 6}" y="${y + 17}" font-size="12">${b.value.toFixed(2)} ${esc(b.unit)} (target ${b.lowerIsBetter ? '≤' : '≥'} ${b.target} ${esc(b.unit)})</text>`,
      ].join('');
    })
    .join('\n');
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="24" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<line x1="${x(1)}" y1="38" x2="${x(1)}" y2="${height - 20}" stroke="#555" stroke-dasharray="4 3"/>`,
    `<text x="${x(1)}" y="${height - 6}" font-size="11" text-anchor="middle">target</text>`,
    rows,
    '</svg>',
  ].join('\n');
}
