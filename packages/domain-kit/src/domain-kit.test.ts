import { describe, expect, it } from 'vitest';
import {
  causedByMessage,
  causedByRequest,
  causeFields,
  csvCell,
  csvRow,
  emailKey,
  isEmail,
  normaliseEmail,
  personKey,
} from './index.ts';

describe('emails', () => {
  it('normalises and keys addresses', () => {
    expect(normaliseEmail('  Ann@Example.ORG ')).toBe('ann@example.org');
    expect(emailKey(' Ann@Example.org')).toBe('email:ann@example.org');
    expect(personKey({ user_id: 'u1', email: 'a@b.co' })).toBe('u1');
    expect(personKey({ user_id: null, email: 'A@B.co' })).toBe('email:a@b.co');
    expect(isEmail('a@b.co')).toBe(true);
    expect(isEmail('a b@c.d')).toBe(false);
    expect(isEmail(`${'a'.repeat(250)}@b.co`)).toBe(false);
  });
});

describe('csv', () => {
  it('guards formulas and quotes what needs quoting', () => {
    expect(csvCell('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('say "hi", ok')).toBe('"say ""hi"", ok"');
    expect(csvCell(null)).toBe('');
    expect(csvRow(['a', 1, true])).toBe('a,1,true\r\n');
  });
});

describe('causes', () => {
  it('follows a request and a message', () => {
    expect(causedByRequest(undefined)).toEqual({});
    expect(causedByRequest('r1')).toEqual({ correlationid: 'r1' });
    expect(causedByMessage({ id: 'm1' })).toEqual({ correlationid: 'm1', causationid: 'm1' });
    expect(causedByMessage({ id: 'm2', correlationid: 'r1' })).toEqual({ correlationid: 'r1', causationid: 'm2' });
    expect(causeFields({ correlationid: '', causationid: 'x' })).toEqual({ causationid: 'x' });
  });
});
