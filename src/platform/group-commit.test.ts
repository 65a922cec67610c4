import { describe, expect, it } from 'vitest';
import { GroupCommitter } from './group-commit.ts';

describe('GroupCommitter', () => {
  it('answers every caller after its batch committed, batching concurrent arrivals', async () => {
    const committed: number[][] = [];
    const gc = new GroupCommitter<number, number>(async (items) => {
      await new Promise((r) => setTimeout(r, 5));
      committed.push(items);
      return items.map((i) => i * 2);
    });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => gc.submit(i)));
    expect(results).toEqual(Array.from({ length: 50 }, (_, i) => i * 2));
    expect(committed.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(committed.length).toBeLessThan(50);
  });

  it('isolates a failing item: a batch failure is retried item by item', async () => {
    const gc = new GroupCommitter<number, string>(async (items) => {
      if (items.includes(3)) throw new Error('bad item 3');
      return items.map(String);
    });
    const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => gc.submit(i)));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
    await gc.drain();
  });

  it('respects maxBatch', async () => {
    const sizes: number[] = [];
    const gc = new GroupCommitter<number, number>(
      async (items) => {
        sizes.push(items.length);
        return items;
      },
      { maxBatch: 4, windowMs: 1 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => gc.submit(i)));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4);
  });
});
