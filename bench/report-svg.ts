// The SVG chart: per workload, one bar per runner showing its slowdown against the native
// build on a log scale. Written by hand (no charting library): a few rects and texts.

import type { BenchReport } from './results.js';

const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const num = (x: number) => Number(x.toFixed(1)).toString();

/** Axis ticks: 1x, 10x, 0.5x. */
function tick(x: number): string {
  return `${Number(x.toPrecision(2))}x`;
}

function label(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
}

export function renderSvg(r: BenchReport): string {
  const series = r.runners.filter((x) => x.kind !== 'native').map((x) => x.id);
  const values: number[] = [];
  for (const w of r.workloads) for (const c of w.cells) if (c.ratioToNative !== undefined && Number.isFinite(c.ratioToNative) && c.ratioToNative > 0) values.push(c.ratioToNative);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(1, ...values))));
  const hi = Math.pow(10, Math.max(1, Math.ceil(Math.log10(Math.max(10, ...values)))));
  const bar = 14, gap = 18, left = 64, top = 48, plotH = 300, bottomSpace = 90;
  const groupW = Math.max(1, series.length) * bar + gap;
  const plotW = Math.max(1, r.workloads.length) * groupW;
  const legendW = 230;
  const width = left + plotW + 20 + legendW;
  const height = top + plotH + bottomSpace;
  const y = (v: number) => top + plotH - (Math.log10(v / lo) / Math.log10(hi / lo)) * plotH;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`);
  out.push(`<rect width="${width}" height="${height}" fill="#fff"/>`);
  out.push(`<text x="${left}" y="20" font-size="14" font-weight="bold">${esc(`Slowdown vs native Linux build (log scale, lower is better)`)}</text>`);
  out.push(`<text x="${left}" y="36" fill="#555">${esc(`${r.date} · ${r.machine.cpu} · ${r.options.quick ? 'quick sizes' : 'full sizes'} · median of ${r.options.runs} run(s)`)}</text>`);
  // Grid lines at each power of ten (and 2x, 5x between them).
  for (let decade = lo; decade < hi * 1.001; decade *= 10) {
    for (const k of [1, 2, 5]) {
      const v = decade * k;
      if (v > hi * 1.001) break;
      const yy = num(y(v));
      out.push(`<line x1="${left}" x2="${left + plotW}" y1="${yy}" y2="${yy}" stroke="${k === 1 ? '#bbb' : '#eee'}"/>`);
      if (k === 1 || hi / lo <= 100) out.push(`<text x="${left - 6}" y="${num(y(v) + 4)}" text-anchor="end" fill="#333">${tick(v)}</text>`);
    }
  }
  const one = num(y(1));
  out.push(`<line x1="${left}" x2="${left + plotW}" y1="${one}" y2="${one}" stroke="#333" stroke-dasharray="4 3"/>`);
  r.workloads.forEach((w, gi) => {
    const gx = left + gi * groupW + gap / 2;
    series.forEach((id, si) => {
      const c = w.cells.find((x) => x.runner === id);
      const x = gx + si * bar;
      if (!c || c.status === 'skipped') return;
      if (c.status === 'error' || c.ratioToNative === undefined || !Number.isFinite(c.ratioToNative)) {
        out.push(`<text x="${num(x + bar / 2)}" y="${num(top + plotH - 4)}" text-anchor="middle" fill="#c00" font-weight="bold"><title>${esc(`${w.name} · ${id}: ${c.reason ?? 'error'}`)}</title>×</text>`);
        return;
      }
      const v = Math.max(lo, c.ratioToNative);
      const yy = y(v);
      const wrong = c.status === 'wrong';
      out.push(`<rect x="${num(x + 1)}" y="${num(yy)}" width="${bar - 2}" height="${num(top + plotH - yy)}" fill="${PALETTE[si % PALETTE.length]}"${wrong ? ' stroke="#c00" stroke-width="2"' : ''}><title>${esc(`${w.name} · ${id}: ${label(c.ratioToNative)}x native${wrong ? ' (WRONG output)' : ''}`)}</title></rect>`);
      out.push(`<text x="${num(x + bar / 2)}" y="${num(yy - 3)}" text-anchor="middle" font-size="8" fill="#333">${wrong ? '!' : ''}${label(c.ratioToNative)}</text>`);
    });
    out.push(`<text transform="translate(${num(gx + (groupW - gap) / 2)},${top + plotH + 12}) rotate(35)" fill="${w.wrong ? '#c00' : '#000'}">${esc(w.name + (w.wrong ? ' (wrong)' : ''))}</text>`);
  });
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${top + plotH}" stroke="#333"/>`);
  series.forEach((id, si) => {
    const ly = top + 10 + si * 18;
    const lx = left + plotW + 20;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="12" height="12" fill="${PALETTE[si % PALETTE.length]}"/>`);
    out.push(`<text x="${lx + 18}" y="${ly + 1}">${esc(id)}</text>`);
  });
  const ly = top + 10 + series.length * 18 + 10;
  out.push(`<text x="${left + plotW + 20}" y="${ly}" fill="#c00">× error (see the report)</text>`);
  out.push(`<text x="${left + plotW + 20}" y="${ly + 18}" fill="#333">dashed line: native = 1x</text>`);
  out.push(`<text x="${left + plotW + 20}" y="${ly + 36}" fill="#333">red outline: wrong output</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}
