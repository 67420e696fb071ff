/**
 * Compile-time checks of the typed handler catalogue, run by `pnpm --filter @convene/bus typecheck` (never
 * executed). Each `@ts-expect-error` fails the typecheck if the line after it compiles.
 */
import type { Bus } from './bus.ts';

export function handlerCatalogueIsTyped(bus: Bus): void {
  // @ts-expect-error 'invitation.exploded' is not an event in the catalogue
  void bus.subscribe('typos', { 'invitation.exploded': async () => {} });

  const builtElsewhere = { 'user.activated': async () => {}, 'user.exploded': async () => {} };
  // @ts-expect-error a catalogue that is not an object literal is checked too
  void bus.subscribe('typos', builtElsewhere);

  void bus.subscribe('reservations', {
    'invitation.accepted': async (event, ctx) => {
      const invitationId: string = event.data.invitation_id;
      const attempt: number = ctx.attempt;
      // @ts-expect-error the payload is typed by its routing key
      const wrong: number = event.data.invitation_id;
      void [invitationId, attempt, wrong];
    },
    'invitation.cancelled': (event) => {
      // @ts-expect-error data of invitation.cancelled has no accepted_at
      void event.data.accepted_at;
    },
  });
}
