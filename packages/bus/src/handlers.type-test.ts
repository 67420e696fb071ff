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

  // A handler may declare its idempotency key; key and handle are typed by the routing key too.
  void bus.subscribe(
    'keyed',
    {
      'invitation.accepted': {
        handle: async (event) => {
          const invitationId: string = event.data.invitation_id;
          // @ts-expect-error the payload of a keyed handler is typed by its routing key
          const wrong: number = event.data.invitation_id;
          void [invitationId, wrong];
        },
        key: (event) => event.data.invitation_id,
      },
      'invitation.cancelled': {
        handle: async () => {},
        // @ts-expect-error data of invitation.cancelled has no accepted_at
        key: (event) => event.data.accepted_at,
      },
      'user.activated': { handle: async () => {}, markers: false },
    },
    { markers: null as never },
  );

  void bus.subscribe('keyed', {
    // @ts-expect-error a key must be a string
    'invitation.declined': { handle: async () => {}, key: (event) => event.data },
  });

  void bus.subscribe('keyed', {
    // @ts-expect-error a keyed entry needs its handle
    'invitation.declined': { key: (event) => event.id },
  });
}
