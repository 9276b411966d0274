// createPool: runs go to idle runtimes (at most `size` at once, the rest wait), a limit in one run
// leaves the pool whole, and close() ends it.
import { describe, expect, test } from 'vitest';
import { createPool } from './library.js';

describe('createPool', () => {
  test('runs at most size scripts at once and queues the rest', async () => {
    let running = 0;
    let most = 0;
    const pool = await createPool({
      size: 2,
      functions: {
        enter: async () => { running++; most = Math.max(most, running); await new Promise((r) => setTimeout(r, 30)); },
        leave: () => { running--; },
      },
    });
    try {
      const results = await Promise.all(Array.from({ length: 6 }, (_, i) => pool.run('enter() leave() return ...', { args: [i] })));
      expect(results).toEqual([[0], [1], [2], [3], [4], [5]]);
      expect(most).toBe(2);
    } finally {
      await pool.close();
    }
  });

  test('a run that hits a limit does not take its slot out of the pool', async () => {
    const pool = await createPool({ size: 2, limits: { timeoutMs: 5000 } });
    try {
      const runs = await Promise.allSettled([
        pool.run('while true do end', { timeoutMs: 50 }),
        pool.run('while true do end', { timeoutMs: 50 }),
        pool.run('return 1'),
        pool.run('return 2'),
      ]);
      expect(runs.map((r) => r.status)).toEqual(['rejected', 'rejected', 'fulfilled', 'fulfilled']);
      expect(await Promise.all([pool.run('return 3'), pool.run('return 4')])).toEqual([[3], [4]]);
    } finally {
      await pool.close();
    }
  });

  test('close() ends the pool', async () => {
    const pool = await createPool({ size: 1 });
    await pool.close();
    await expect(pool.run('return 1')).rejects.toThrow(/closed/);
  });

  test('bad sizes are refused', async () => {
    await expect(createPool({ size: 0 })).rejects.toThrow(RangeError);
  });
});
