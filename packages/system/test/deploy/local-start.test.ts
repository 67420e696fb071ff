// `./convene start`'s environment for each service (infra/local/local-services.ts): every service's
// own Env schema accepts it, and the keys two services must share are the same in both.
import { Env as AuthEnv } from '@convene/auth';
import { Env as EventsEnv } from '@convene/events';
import { Env as FeedbackEnv } from '@convene/feedback';
import { Env as GatewayEnv } from '@convene/gateway';
import { Env as InvitationsEnv } from '@convene/invitations';
import { parseEnv } from '@convene/kit';
import { Env as NotifierEnv } from '@convene/notifier';
import { describe, expect, it } from 'vitest';
import { LOCAL_SERVICES, localServiceEnv } from '../../../../infra/local/local-services.ts';

const SCHEMAS = {
  auth: AuthEnv,
  events: EventsEnv,
  invitations: InvitationsEnv,
  feedback: FeedbackEnv,
  notifier: NotifierEnv,
  gateway: GatewayEnv,
} as const;

const infra = { mongoBaseUrl: 'mongodb://127.0.0.1:27017', amqpUrl: 'amqp://guest:guest@127.0.0.1:5672' };

describe('./convene start gives each service', () => {
  it.each(LOCAL_SERVICES.map((s) => s.name))('%s: an environment its Env schema accepts', (name) => {
    const env = parseEnv(SCHEMAS[name], localServiceEnv(name, infra)) as { PORT: number; MONGO_URL?: string };
    expect(env.PORT).toBe(LOCAL_SERVICES.find((s) => s.name === name)?.port);
  });

  it('invitations and the notifier one invitation link key, so invitation emails are not dead-lettered', () => {
    const sealing = parseEnv(InvitationsEnv, localServiceEnv('invitations', infra)).INVITATION_LINK_KEY;
    const opening = parseEnv(NotifierEnv, localServiceEnv('notifier', infra)).INVITATION_LINK_KEY;
    expect(opening).toBeDefined();
    expect(opening).toBe(sealing);
  });

  it("the caller's own link key when one is set", () => {
    const own = Buffer.alloc(32, 3).toString('base64');
    for (const name of ['invitations', 'notifier'] as const)
      expect(localServiceEnv(name, { ...infra, invitationLinkKey: own }).INVITATION_LINK_KEY).toBe(own);
  });

  it('each back-end service a database of its own', () => {
    const urls = LOCAL_SERVICES.filter((s) => s.name !== 'gateway').map(
      (s) => localServiceEnv(s.name, infra).MONGO_URL,
    );
    expect(new Set(urls).size).toBe(urls.length);
  });
});
