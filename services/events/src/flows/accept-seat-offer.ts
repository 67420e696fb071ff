import type { Causes } from '@convene/domain-kit';
import type { EventDoc } from '../store/event-model.ts';
import type { RegistrationDoc } from '../store/registration-model.ts';
import { activeRegistrationOf } from '../store/registration-queries.ts';
import type { FlowContext } from './context.ts';

export type AcceptOfferOutcome =
  | { ok: true; registration: RegistrationDoc }
  | { ok: false; reason: 'no_offer' | 'expired' | 'inactive' | 'past' | 'gone' | 'busy' | 'full' };

/** Offer mode: the person confirms the seat held for them, before the offer lapses. */
export async function acceptSeatOffer(
  ctx: FlowContext,
  { event, userKeys }: { event: EventDoc; userKeys: string[] },
  causes?: Causes,
): Promise<AcceptOfferOutcome> {
  const now = ctx.now();
  const reg = await activeRegistrationOf(ctx.store, event._id, userKeys, ['offered']);
  if (!reg) return { ok: false, reason: 'no_offer' };
  if (!reg.offer_expires_at || reg.offer_expires_at <= now) return { ok: false, reason: 'expired' };
  const result = await ctx.moves.perform({
    registrationId: reg._id,
    kind: 'accept_offer',
    extraFilter: { offer_expires_at: { $gt: now } },
    causes,
  });
  if (result.ok) return { ok: true, registration: result.registration };
  if (result.reason === 'busy' && !result.registration?.txn && result.registration?.status === 'offered') {
    return { ok: false, reason: 'expired' };
  }
  // (`restricted` only answers moves with an eventFilter; this one has none.)
  return { ok: false, reason: result.reason === 'exists' || result.reason === 'restricted' ? 'busy' : result.reason };
}
