import type { AimPoint } from './aims.js';

/** The aims of one Node version's run. */
export interface AimSeries {
  label: string;
  points: AimPoint[];
}

const xmlText = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('`', '');

const fmt = (x: number) => (x >= 10 ? x.toFixed(1) : x.toFixed(2));

/**
 * The chart that opens RESULTS.md, drawn here as an SVG (no network, no library): one row per
 * aim, a log-scale axis of cost ratios (lower is better), the aim as a red bar, lambdakit's
 * median per Node version as a dot with its min–max range, Powertools and Middy as open marks.
 * Also the same figures as a Markdown table, with whether each aim is met.
 */
export function aimsChart(series: readonly AimSeries[]): { svg: string; table: string } {
  const keys: string[] = [];
  const byKey = new Map<string, AimPoint>();
  for (const s of series) {
    for (const p of s.points) {
      if (!byKey.has(p.key)) {
        keys.push(p.key);
        byKey.set(p.key, p);
      }
    }
  }
  const find = (s: AimSeries, key: string) => s.points.find((p) => p.key === key);

  const values: number[] = [1];
  for (const s of series) {
    for (const p of s.points) {
      values.push(p.aim, p.lambdakit.min, p.lambdakit.max);
      if (p.powertools !== undefined) values.push(p.powertools);
      if (p.middy !== undefined) values.push(p.middy);
    }
  }
  const finite = values.filter((v) => Number.isFinite(v) && v > 0);
  // From 0.1× (a competitor far slower than lambdakit shows at the edge) to the largest ratio, at most 100×.
  const lo = Math.max(0.1, Math.min(0.5, ...finite) * 0.9);
  const hi = Math.min(100, Math.max(2, ...finite) * 1.1);
  const labelWidth = 420;
  const plotWidth = 560;
  const rowHeight = 18 * Math.max(1, series.length) + 14;
  const top = 56;
  const height = top + keys.length * rowHeight + 30;
  const width = labelWidth + plotWidth + 40;
  const x = (v: number) => labelWidth + (Math.log(Math.min(Math.max(v, lo), hi) / lo) / Math.log(hi / lo)) * plotWidth;
  const colours = ['#1f5fbf', '#0b2e6b', '#5b8fd9'];

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    '<title>lambdakit against its performance aims: cost ratio per scenario, with Powertools and Middy</title>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="8" y="18" font-size="14" font-weight="bold">lambdakit: cost ratio per scenario against its aim (log scale, lower is better)</text>`,
  ];
  // Legend.
  let lx = 8;
  const legend = (mark: string, text: string) => {
    out.push(`${mark.replaceAll('LX', String(lx))}<text x="${lx + 12}" y="40">${xmlText(text)}</text>`);
    lx += 24 + text.length * 6.5;
  };
  for (const [i, s] of series.entries()) {
    legend(`<circle cx="LX" cy="36" r="4" fill="${colours[i % colours.length]}"/>`, `lambdakit, ${s.label}`);
  }
  legend(`<rect x="LX" y="30" width="3" height="12" fill="#d62728"/>`, 'aim');
  legend(`<path d="M LX 41 l 4 -8 l 4 8 z" fill="none" stroke="#e07b00"/>`, 'Powertools');
  legend(`<rect x="LX" y="32" width="7" height="7" fill="none" stroke="#555"/>`, 'Middy');
  // Grid.
  for (const tick of [0.1, 0.2, 0.5, 0.8, 1, 1.25, 1.5, 2, 3, 5, 10, 20, 50, 100]) {
    if (tick < lo || tick > hi) continue;
    const tx = x(tick).toFixed(1);
    out.push(
      `<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${height - 24}" stroke="${tick === 1 ? '#999' : '#e5e5e5'}"/>`,
      `<text x="${tx}" y="${height - 10}" text-anchor="middle" fill="#555">${tick}×</text>`,
    );
  }
  keys.forEach((key, row) => {
    const point = byKey.get(key)!;
    const y0 = top + row * rowHeight;
    if (row % 2 === 1) out.push(`<rect x="0" y="${y0 - 4}" width="${width}" height="${rowHeight}" fill="#f6f8fa"/>`);
    out.push(`<text x="8" y="${y0 + rowHeight / 2}">${xmlText(`${point.label} (vs ${point.against})`)}</text>`);
    const ax = x(point.aim).toFixed(1);
    out.push(`<rect x="${Number(ax) - 1.5}" y="${y0}" width="3" height="${rowHeight - 8}" fill="#d62728"/>`);
    series.forEach((s, i) => {
      const p = find(s, key);
      if (p === undefined) return;
      const y = y0 + 9 + i * 18;
      const colour = colours[i % colours.length];
      out.push(
        `<line x1="${x(p.lambdakit.min).toFixed(1)}" y1="${y}" x2="${x(p.lambdakit.max).toFixed(1)}" y2="${y}" stroke="${colour}" stroke-width="2" opacity="0.5"/>`,
        `<circle cx="${x(p.lambdakit.median).toFixed(1)}" cy="${y}" r="4.5" fill="${colour}"/>`,
        `<text x="${(x(p.lambdakit.median) + 7).toFixed(1)}" y="${y - 5}" font-size="10" fill="${colour}">${fmt(p.lambdakit.median)}×</text>`,
      );
      if (p.powertools !== undefined && p.against !== 'Powertools') {
        const px = x(p.powertools);
        out.push(`<path d="M ${(px - 4).toFixed(1)} ${y + 4} l 4 -8 l 4 8 z" fill="none" stroke="#e07b00"/>`);
      }
      if (p.middy !== undefined) {
        const mx = x(p.middy);
        out.push(`<rect x="${(mx - 3.5).toFixed(1)}" y="${y - 3.5}" width="7" height="7" fill="none" stroke="#555"/>`);
      }
    });
  });
  out.push('</svg>');

  const header = [
    'aim row',
    'aim',
    ...series.map((s) => `lambdakit, ${s.label}`),
    ...series.map((s) => `met, ${s.label}`),
    'Powertools',
    'Middy',
  ];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
  for (const key of keys) {
    const point = byKey.get(key)!;
    const cells = series.map((s) => find(s, key));
    const refs = (pick: (p: AimPoint) => number | undefined) =>
      cells
        .map((p) => (p === undefined ? undefined : pick(p)))
        .filter((v): v is number => v !== undefined)
        .map(fmt)
        .join(' / ') || '—';
    lines.push(
      `| ${[
        `${point.label} (vs ${point.against})`,
        `≤ ${fmt(point.aim)}×`,
        ...cells.map((p) =>
          p === undefined ? '—' : `**${fmt(p.lambdakit.median)}×** (${fmt(p.lambdakit.min)}–${fmt(p.lambdakit.max)})`,
        ),
        ...cells.map((p) => (p === undefined ? '—' : p.lambdakit.median <= p.aim ? 'yes' : '**no**')),
        point.against === 'Powertools' ? '1×' : refs((p) => p.powertools),
        refs((p) => p.middy),
      ].join(' | ')} |`,
    );
  }
  const table = [
    'Every row is a cost ratio, lower is better: time (or bytes) of lambdakit ÷ the reference named in the row; a ' +
      'throughput row is the reference’s throughput ÷ lambdakit’s (85% of bare is 1.18×, 70% is 1.43×). Powertools and ' +
      'Middy columns are their ratio to the same reference, one per Node version.',
    '',
    ...lines,
  ].join('\n');
  return { svg: `${out.join('\n')}\n`, table };
}

// Run directly: draws the chart again from the data a bench run saved beside it.
if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const { readFileSync, writeFileSync } = await import('node:fs');
  const file = process.argv[2] ?? new URL('../../results-chart.json', import.meta.url).pathname;
  writeFileSync(file.replace(/\.json$/, '.svg'), aimsChart(JSON.parse(readFileSync(file, 'utf8')) as AimSeries[]).svg);
}
