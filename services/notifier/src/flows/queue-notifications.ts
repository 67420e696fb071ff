import { PermanentError } from '@convene/bus';
import { emailKey, normaliseEmail } from '@convene/domain-kit';
import {
  categoryOf,
  deliveryKey,
  isEssential,
  type MessageType,
  notificationKey,
  wantsMessage,
} from '../domain/message-types.ts';
import { Code } from '../errors.ts';
import { type NewDelivery, queueDeliveries } from '../store/deliveries.ts';
import { addNotifications } from '../store/inbox.ts';
import type { NotificationDoc } from '../store/notification-model.ts';
import type { RecipientDoc } from '../store/projection-models.ts';
import { findRecipientByEmail } from '../store/projections.ts';
import type { Store } from '../store/store.ts';
import { type Message, type Reader, TEMPLATE_DATA } from '../templates/catalogue.ts';
import type { FlowContext } from './context.ts';

export interface Person {
  email: string;
  name: string;
  user_id: string | null;
}

export type Notice = Message & {
  recipient: Person;
  /** Ids the inbox entry links to (event_id, invitation_id, url, ...). */
  links?: Record<string, string | null>;
  /** Security mail for someone who cannot sign in yet goes by email only. */
  inbox?: boolean;
};

/** Where a message came from: its envelope id makes the delivery key. */
export interface Source {
  id: string;
  type: string;
  subject: string;
}

/**
 * The one way anything is sent: each notice becomes a delivery (unless its recipient opted out of
 * that kind of mail) and, for someone with an account, an inbox entry, both keyed by (source
 * event, type, person) so a redelivered event or a second replica writes nothing new. New inbox
 * entries are pushed to open sockets; the sender is nudged to mail the new deliveries at once.
 */
export async function queueNotifications(
  flows: FlowContext,
  source: Source,
  notices: Notice[],
): Promise<{ queued: number; inboxed: number; skipped: number }> {
  if (notices.length === 0) return { queued: 0, inboxed: 0, skipped: 0 };
  const now = flows.now();
  const resolved = await Promise.all(notices.map((n) => withAccount(flows.store, n)));
  const optOuts = await optOutsOf(
    flows.store,
    resolved.filter((n) => !isEssential(n.type)).map((n) => n.recipient),
  );

  const deliveries: NewDelivery[] = [];
  const entries: NotificationDoc[] = [];
  const strangers: Array<{ notice: Notice; data: Record<string, unknown> }> = [];
  let skipped = 0;
  for (const notice of resolved) {
    const data = checked(notice);
    const email = normaliseEmail(notice.recipient.email);
    const optedOut = [
      ...(optOuts.get(emailKey(email)) ?? []),
      ...(notice.recipient.user_id ? (optOuts.get(`user:${notice.recipient.user_id}`) ?? []) : []),
    ];
    if (wantsMessage(notice.type, optedOut)) {
      deliveries.push({
        _id: deliveryKey(source.id, notice.type, email),
        template: notice.type,
        category: categoryOf(notice.type),
        essential: isEssential(notice.type),
        recipient: { ...notice.recipient, email },
        source: { event_id: source.id, type: source.type, subject: source.subject },
        data,
        inbox_links: notice.inbox === false ? null : (notice.links ?? {}),
      });
    } else {
      skipped++;
    }
    if (notice.recipient.user_id && notice.inbox !== false) {
      entries.push(
        inboxEntry(flows, {
          source: source.id,
          sourceType: source.type,
          type: notice.type,
          userId: notice.recipient.user_id,
          data,
          links: notice.links ?? {},
          at: now,
        }),
      );
    } else if (notice.inbox !== false) {
      strangers.push({ notice, data });
    }
  }
  const claim = flows.sendAtOnce?.claim();
  const [queued, inboxed] = await Promise.all([
    queueDeliveries(flows.store, dedupe(deliveries), now, claim),
    addNotifications(flows.store, dedupe(entries)),
  ]);
  if (queued.length && claim) flows.sendAtOnce!.take(queued);
  else if (queued.length) flows.nudgeSender();
  // Someone with no account yet gets their entry when they register (attachInboxOnRegistration
  // reads the delivery log). A registration handled meanwhile may have read it before these
  // deliveries were written: so look once more, after writing.
  const late = await lateAccounts(flows, source, strangers, now);
  const all = [...inboxed, ...late];
  if (all.length) flows.announce(all);
  return { queued: queued.length, inboxed: all.length, skipped };
}

async function lateAccounts(
  flows: FlowContext,
  source: Source,
  strangers: Array<{ notice: Notice; data: Record<string, unknown> }>,
  now: Date,
): Promise<NotificationDoc[]> {
  if (strangers.length === 0) return [];
  const found = await Promise.all(strangers.map((s) => findRecipientByEmail(flows.store, s.notice.recipient.email)));
  const entries = strangers.flatMap(({ notice, data }, i) =>
    found[i]
      ? [
          inboxEntry(flows, {
            source: source.id,
            sourceType: source.type,
            type: notice.type,
            userId: found[i]._id,
            data,
            links: notice.links ?? {},
            at: now,
          }),
        ]
      : [],
  );
  return addNotifications(flows.store, dedupe(entries));
}

/** An inbox entry, keyed by (source event, type, person) like the delivery: never twice. */
export function inboxEntry(
  flows: Pick<FlowContext, 'renderer'>,
  entry: {
    source: string;
    sourceType: string;
    type: MessageType;
    userId: string;
    data: Record<string, unknown>;
    links: Record<string, string | null>;
    at: Date;
  },
): NotificationDoc {
  return {
    _id: notificationKey(entry.source, entry.type, entry.userId),
    user_id: entry.userId,
    type: entry.type,
    title: flows.renderer.subject(entry.type, entry.data),
    data: { source: entry.sourceType, ...entry.links },
    read_at: null,
    created_at: entry.at,
  };
}

/** The same person twice in one event (listed twice by a fan-out) is one email. */
function dedupe<T extends { _id: string }>(docs: T[]): T[] {
  return [...new Map(docs.map((d) => [d._id, d])).values()];
}

/**
 * The recipient's account, found by their address: someone addressed by email only gets their
 * inbox entry when the projection knows them, and an account with its own zone or locale has its
 * email show times for them too (`reader`), unless the notice already says who reads it.
 */
async function withAccount(store: Store, notice: Notice): Promise<Notice> {
  const known = await findRecipientByEmail(store, notice.recipient.email);
  const account = known && (!notice.recipient.user_id || known._id === notice.recipient.user_id) ? known : null;
  if (!account) return notice;
  const recipient = { ...notice.recipient, user_id: account._id };
  const given = (notice.data as { reader?: Reader }).reader;
  const reader = given ?? readerOf(account);
  return { ...notice, recipient, data: reader ? { ...notice.data, reader } : notice.data } as Notice;
}

function readerOf(account: RecipientDoc): Reader | undefined {
  const timezone = account.timezone ?? null;
  const locale = account.locale ?? null;
  return timezone || locale ? { timezone, locale } : undefined;
}

async function optOutsOf(store: Store, people: Person[]): Promise<Map<string, string[]>> {
  if (people.length === 0) return new Map();
  const ids = new Set<string>();
  for (const p of people) {
    ids.add(emailKey(p.email));
    if (p.user_id) ids.add(`user:${p.user_id}`);
  }
  const found = await Promise.all([...ids].map(async (id) => [id, await store.batch.optedOut(id)] as const));
  return new Map(found.filter((f): f is readonly [string, string[]] => f[1] !== null));
}

/** Data that does not fit its template is a bug in the caller: no retry will fix it. */
function checked(notice: Notice): Record<string, unknown> {
  const parsed = TEMPLATE_DATA[notice.type as MessageType].safeParse(notice.data);
  if (!parsed.success) {
    throw new PermanentError(`data for ${notice.type} does not fit its template: ${parsed.error.message}`, {
      code: Code.TEMPLATE_DATA_INVALID,
    });
  }
  return parsed.data as Record<string, unknown>;
}
