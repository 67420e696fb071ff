import { describe, expect, it } from 'vitest';
import { progress } from './progress.ts';

function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, isTTY, columns: 80, write: (text: string) => written.push(text) };
}

describe('progress', () => {
  it('on a terminal redraws one line in place with a bar, at most once per redraw interval', () => {
    const out = stream(true);
    let t = 0;
    const bar = progress({ label: 'importing', total: 200, stream: out, redrawMs: 100, now: () => t });
    bar.update(50, '1 failed');
    t = 50;
    bar.update(60); // too soon: not drawn
    t = 150;
    bar.update(100);
    bar.finish(200, 'done');
    expect(out.written).toEqual([
      `\r\x1b[2Kimporting [${'#'.repeat(6)}${'-'.repeat(18)}]  25% 50/200 1 failed`,
      `\r\x1b[2Kimporting [${'#'.repeat(12)}${'-'.repeat(12)}]  50% 100/200`,
      `\r\x1b[2Kimporting [${'#'.repeat(24)}] 100% 200/200 done\n`,
    ]);
  });

  it('elsewhere writes a plain line every N items and one at the end, never a carriage return', () => {
    const out = stream(false);
    const bar = progress({ label: 'replaying q', total: 250, stream: out, every: 100 });
    for (let done = 1; done <= 250; done++) bar.update(done, `${done} replayed`);
    bar.finish(250, '250 replayed');
    expect(out.written).toEqual([
      'replaying q: 100/250 100 replayed\n',
      'replaying q: 200/250 200 replayed\n',
      'replaying q: 250/250 250 replayed\n',
    ]);
  });

  it('counts without a bar when the total is unknown', () => {
    const out = stream(true);
    const bar = progress({ label: 'reading', total: null, stream: out });
    bar.finish(7);
    expect(out.written).toEqual(['\r\x1b[2Kreading: 7\n']);
  });
});
