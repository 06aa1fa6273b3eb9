import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverVariants, parseVariantOption, selectVariants } from '../variants.js';
import { ENGINE_NAMES } from '../../src/engines.js';

test('discovers the engines of src/engines.ts', async () => {
  const v = await discoverVariants();
  assert.deepEqual(v.filter((x) => x.args.length === 0).map((x) => x.id), [...ENGINE_NAMES]);
});

test('reads advertised ENGINE_VARIANTS and selects by engine or id', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-variants-'));
  try {
    const mod = join(dir, 'engines.mjs');
    writeFileSync(mod, `export const ENGINE_NAMES = ['interp', 'jit', 'compare'];
      export const ENGINE_VARIANTS = { jit: [{ name: 'no-regions', args: ['--jit-regions', 'off'] }, { bad: 1 }] };`);
    const all = await discoverVariants(mod);
    assert.deepEqual(all.map((x) => x.id), ['interp', 'jit', 'jit/no-regions', 'compare']);
    assert.deepEqual(selectVariants(all, undefined).map((x) => x.id), ['interp', 'jit', 'jit/no-regions'], 'compare only on request');
    assert.deepEqual(selectVariants(all, ['compare']).map((x) => x.id), ['compare']);
    assert.deepEqual(all[2].args, ['--jit-regions', 'off']);
    assert.deepEqual(selectVariants(all, ['jit']).map((x) => x.id), ['jit', 'jit/no-regions']);
    assert.deepEqual(selectVariants(all, ['jit/no-regions']).map((x) => x.id), ['jit/no-regions']);
    assert.throws(() => selectVariants(all, ['nope']), /unknown engine/);
  } finally { rmSync(dir, { recursive: true, force: true }); }
});

test('parses --variant', () => {
  assert.deepEqual(parseVariantOption('jit:opt1:--jit-opt,1'), { id: 'jit/opt1', engine: 'jit', args: ['--jit-opt', '1'] });
  assert.deepEqual(parseVariantOption('jit:plain'), { id: 'jit/plain', engine: 'jit', args: [] });
  assert.throws(() => parseVariantOption('jit'));
});
