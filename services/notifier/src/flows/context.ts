import type { Logger } from '@convene/kit';
import type { DeliveryDoc } from '../store/delivery-model.ts';
import type { NotificationDoc } from '../store/notification-model.ts';
import type { Store } from '../store/store.ts';
import type { Renderer } from '../templates/renderer.ts';

/** What the flows work with; built once in service.ts. */
export interface FlowContext {
  store: Store;
  renderer: Renderer;
  now: () => Date;
  logger: Logger;
  /** PUBLIC_URL without a trailing slash: every link in a message starts with it. */
  publicUrl: string;
  fanoutBatch: number;
  /** Ask the sender to look for due deliveries now (rather than at its next sweep). */
  nudgeSender: () => void;
  /** The sender's fast path: new deliveries written with its claim are mailed from memory at once. */
  sendAtOnce?: {
    claim(): { token: string; until: Date } | undefined;
    take(deliveries: DeliveryDoc[]): void;
  };
  /** Tell every replica's open sockets about new inbox entries. */
  announce: (notifications: NotificationDoc[]) => void;
  /** Opens the sealed token of invitation links (INVITATION_LINK_KEY). */
  invitationLinkKey?: Buffer;
  /**
   * The organizer address everyone but the host and co-hosts sees in place of the host's own
   * (CALENDAR_ORGANIZER_EMAIL, else noreply at PUBLIC_URL's host).
   */
  contactEmail: string;
}
