import { eventually } from '@convene/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DeployedSystem, login, signUp, startDeployed } from '../src/index.ts';

/** The multi-process launcher itself: real processes, the relay's rotation, kill and restart. */
describe('startDeployed', () => {
  let system: DeployedSystem;

  beforeAll(async () => {
    system = await startDeployed({ replicas: { events: 2 } });
  }, 180_000);
  afterAll(() => system?.stop());

  it('runs every service as its own process behind the gateway', async () => {
    const pids = system.instances.map((instance) => instance.pid);
    expect(system.instances.map((i) => `${i.service}#${i.index}`).sort()).toEqual(
      ['auth#0', 'events#0', 'events#1', 'feedback#0', 'gateway#0', 'invitations#0', 'notifier#0'].sort(),
    );
    expect(new Set(pids).size).toBe(pids.length);
    expect(pids).not.toContain(process.pid);
    expect((await fetch(`${system.url}/readyz`)).status).toBe(200);
    const { person } = await signUp(system.api);
    expect((await login(system.api, person.username, person.password)).user.username).toBe(person.username);
    // Each process prints JSON lines; auth's boot and a request line are among them.
    expect(system.logs().some((line) => line.includes('"service":"auth"'))).toBe(true);
  });

  it('keeps serving through the other replica while one is down, and restarts it on the same port', async () => {
    const before = system.instances.find((i) => i.service === 'events' && i.index === 0)!;
    const { url, pid } = before;
    await system.kill('events', 0);
    expect(before.pid).toBeUndefined();
    // The gateway may still try a pooled connection the dead replica had (as behind any load
    // balancer); once it has learned they are gone, every request reaches the other replica.
    const list = () => fetch(`${system.url}/api/events`).then((res) => res.status);
    // A refusal names its status, so a failure says what the gateway answered instead.
    await eventually(
      async () => {
        const res = await fetch(`${system.url}/api/events`);
        if (res.status !== 200) throw new Error(`${res.status}: ${(await res.text()).slice(0, 300)}`);
        return true;
      },
      { what: 'a request served by the other replica' },
    );
    // At once, so the gateway opens connections of its own: the relay hands them all to the live one.
    expect(await Promise.all(Array.from({ length: 8 }, list))).toEqual(Array(8).fill(200));
    await system.restart('events', 0);
    expect(before.pid).toBeDefined();
    expect(before.pid).not.toBe(pid);
    expect(before.url).toBe(url);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('stops every process', async () => {
    const pids = system.instances.map((instance) => instance.pid!);
    await system.stop();
    await eventually(() => pids.every((pid) => !alive(pid)), { what: 'every process gone', timeoutMs: 5_000 });
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
