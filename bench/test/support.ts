// Shared by the bench tests: the measure helper built once per test process.
import { buildMeasureHelper, hostCompiler } from '../host.js';

let helper: string | undefined;

export function measureHelper(): string {
  if (helper) return helper;
  const cc = hostCompiler();
  if (!cc) throw new Error('the bench tests need a host C compiler');
  return helper = buildMeasureHelper(cc);
}
