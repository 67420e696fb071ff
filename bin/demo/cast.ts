import { randomBytes } from 'node:crypto';

/** One person of the story; the addresses are unique per run so runs never meet. */
export interface Person {
  name: string;
  email: string;
  username: string;
  password: string;
}

/** A signed-in person. */
export interface Member extends Person {
  id: string;
  token: string;
}

export interface Cast {
  run: string;
  host: Person;
  /** Invited by email, without accounts: they answer from the link in their email. */
  guests: Person[];
  /** The guest who declines. */
  decliner: Person;
  /** Invited by email, with accounts: they answer signed in. */
  invitedMembers: Person[];
  /** Not invited: they register themselves, until the event is full and then onto the waitlist. */
  walkIns: Person[];
}

/** Everyone of one run (the walk-ins are enough to fill any capacity the demo allows, plus two waiting). */
export function castOf(run: string, capacity: number): Cast {
  const person = (name: string): Person => ({
    name,
    email: `${name.toLowerCase()}.${run}@example.com`,
    username: `demo_${run}_${name.toLowerCase()}`,
    password: `${randomBytes(12).toString('base64url')}-Qz7`,
  });
  const walkInNames = ['Farah', 'Goran', 'Ines', 'Jules', 'Kai', 'Lena', 'Milo', 'Nadia', 'Otto', 'Pia'];
  const extra = Array.from({ length: Math.max(0, capacity + 2 - walkInNames.length) }, (_, n) => `Guest${n + 1}`);
  return {
    run,
    host: person('Hana'),
    guests: ['Ada', 'Bruno'].map(person),
    decliner: person('Chen'),
    invitedMembers: ['Dara', 'Emil'].map(person),
    walkIns: [...walkInNames, ...extra].slice(0, capacity + 2).map(person),
  };
}

/** A short id for one run: base-36 time and a little randomness. */
export function newRunId(): string {
  return `${Date.now().toString(36).slice(-5)}${randomBytes(2).toString('hex')}`;
}

/** "Ada", "Ada and Bruno", "Ada, Bruno and Chen". */
export function namesOf(people: ReadonlyArray<{ name: string }>): string {
  const names = people.map((p) => p.name);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
