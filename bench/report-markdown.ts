// The Markdown report: one table per workload (a row per runner), then a summary table
// of slowdowns against native, then the machine and options.

import type { BenchReport, CellResult, WorkloadResult } from './results.js';

const fixed = (x: number | undefined, digits: number, suffix = '') => (x === undefined || !Number.isFinite(x) ? '' : `${x.toFixed(digits)}${suffix}`);

function ms(x: number | undefined): string {
  if (x === undefined) return '';
  return x >= 10_000 ? `${(x / 1000).toFixed(1)} s` : x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(1)} ms`;
}

function ratio(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '';
  return x >= 100 ? `${x.toFixed(0)}x` : x >= 10 ? `${x.toFixed(1)}x` : `${x.toFixed(2)}x`;
}

function statusText(c: CellResult): string {
  switch (c.status) {
    case 'ok': return 'ok';
    case 'wrong': return `**WRONG**: ${c.reason ?? ''}`;
    case 'error': return `error: ${c.reason ?? ''}`;
    case 'skipped': return `skipped: ${c.reason ?? ''}`;
  }
}

const escapeCell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function workloadTable(w: WorkloadResult): string {
  const head = `### ${w.name} (n=${w.size})${w.wrong ? ' — **WRONG OUTPUT**' : ''}\n\n${w.description}. Reference output: \`${(w.reference ?? 'none').split('\n')[0]}\`\n`;
  const rows = [
    '| runner | wall (median) | spread | vs native | vs QEMU | vs interp | guest MIPS | compile share | peak memory | status |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...w.cells.map((c) => `| ${c.runner} | ${ms(c.wallMs)} | ${c.spread !== undefined ? `±${fixed(c.spread * 50, 1)}%` : ''} | ${ratio(c.ratioToNative)} | ${ratio(c.ratioToQemu)} | ${ratio(c.ratioToInterp)} | ${fixed(c.mips, 1)} | ${c.compileShare !== undefined ? fixed(c.compileShare * 100, 1, '%') : ''} | ${fixed(c.maxRssMiB, 1, ' MiB')} | ${escapeCell(statusText(c))} |`),
  ];
  return `${head}\n${rows.join('\n')}\n`;
}

function summaryTable(r: BenchReport): string {
  const ids = r.runners.filter((x) => x.kind !== 'native').map((x) => x.id);
  const rows = [
    `| workload | ${ids.join(' | ')} |`,
    `| --- | ${ids.map(() => '---:').join(' | ')} |`,
    ...r.workloads.map((w) => `| ${w.name}${w.wrong ? ' (wrong)' : ''} | ${ids.map((id) => {
      const c = w.cells.find((x) => x.runner === id);
      if (!c) return '';
      if (c.status === 'skipped') return '–';
      if (c.status === 'error') return 'error';
      return `${ratio(c.ratioToNative)}${c.status === 'wrong' ? ' WRONG' : ''}`;
    }).join(' | ')} |`),
  ];
  return rows.join('\n');
}

export function renderMarkdown(r: BenchReport): string {
  const m = r.machine;
  const o = r.options;
  return [
    `# ${r.title}`,
    '',
    `Date: ${r.date}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, Node ${m.node}.`,
    `References: ${m.cc ?? 'no C compiler'}; ${m.qemu ?? 'no qemu-x86_64'}; ${m.wine ?? 'no Wine'}.`,
    `Options: ${o.quick ? 'quick sizes' : 'full sizes'}, ${o.runs} measured run(s) per runner${o.warmup ? ' after a warm-up run' : ', no warm-up'}, timeout ${o.timeoutSeconds} s per run. Total ${r.totalSeconds.toFixed(0)} s.`,
    '',
    '## Slowdown against the native Linux build (median of paired runs; lower is better)',
    '',
    summaryTable(r),
    '',
    'Wall times are whole-process times (start-up included); see bench/README.md for what each figure means.',
    '',
    '## Per workload',
    '',
    ...r.workloads.map(workloadTable),
    '## Runners',
    '',
    ...r.runners.map((x) => `- ${x.id}${x.args?.length ? ` (\`${x.args.join(' ')}\`)` : ''}${x.skipReason ? `: skipped, ${x.skipReason}` : ''}`),
    '',
  ].join('\n');
}
