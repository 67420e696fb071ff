import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rabbitmqctlPath } from './rabbitmqctl.ts';

describe('rabbitmqctlPath', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ctl-'));
    await writeFile(join(dir, 'rabbitmqctl'), '#!/bin/sh\n');
    await chmod(join(dir, 'rabbitmqctl'), 0o755);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes RABBITMQCTL when set', () => {
    expect(rabbitmqctlPath({ RABBITMQCTL: '/opt/x/rabbitmqctl', PATH: dir })).toBe('/opt/x/rabbitmqctl');
  });

  it('finds an executable on PATH before the system directories', () => {
    expect(rabbitmqctlPath({ PATH: `/nonexistent:${dir}` })).toBe(join(dir, 'rabbitmqctl'));
  });

  it('skips a file that is not executable', async () => {
    const plain = await mkdtemp(join(tmpdir(), 'ctl-'));
    try {
      await writeFile(join(plain, 'rabbitmqctl'), 'not a program');
      expect(rabbitmqctlPath({ PATH: `${plain}:${dir}` })).toBe(join(dir, 'rabbitmqctl'));
    } finally {
      await rm(plain, { recursive: true, force: true });
    }
  });
});
