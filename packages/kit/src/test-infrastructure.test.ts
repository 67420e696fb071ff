import { testInfra } from '@convene/testing';
import { describe, expect, inject, it } from 'vitest';

// kit's vitest project extends the root config: its tests get the servers the global setup chose
// (and checked), never a silent fallback to the defaults.
describe("kit's test infrastructure", () => {
  it('is the one the global setup provided, and the one CONVENE_TEST_INFRA demanded', () => {
    const source = inject('infraSource');
    expect(['local', 'containers', 'environment', 'mixed']).toContain(source);
    const demanded = process.env.CONVENE_TEST_INFRA;
    if (demanded) expect(source).toBe(demanded);
    expect(inject('mongoUrl')).toMatch(/^mongodb(\+srv)?:\/\//);
    expect(inject('amqpUrl')).toMatch(/^amqps?:\/\//);
    expect(testInfra()).toEqual({ mongoUrl: inject('mongoUrl'), amqpUrl: inject('amqpUrl') });
  });
});
