// The shape the code keeps: no function in src/ longer than 60 lines (issue 19), so that a
// newcomer reads each step whole. `node scripts/function-lengths.mjs` lists the longest.
import { expect, it } from 'vitest';

it('no function in src/ is longer than 60 lines', async () => {
  const script = '../../scripts/function-lengths.mjs';
  const { functionLengths } = (await import(script)) as {
    functionLengths: () => Array<{ lines: number; where: string }>;
  };
  const all = functionLengths();
  expect(all.length).toBeGreaterThan(100);
  expect(all.filter((f) => f.lines > 60)).toEqual([]);
});
