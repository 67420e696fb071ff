import type { DomainEvent } from '@convene/contracts';
import type { Collection, mongo } from 'mongoose';
import type { Bus } from '../bus.ts';
import { PublishError } from '../errors.ts';
import { errorFields, type Logger, silentLogger } from '../logger.ts';

/** What the relay needs of a mongoose Model: its collection and a name for the logs. */
export interface OutboxModel {
  collection: Collection;
  modelName: string;
}

export interface OutboxRelayOptions {
  bus: Pick<Bus, 'publish' | 'isReady'>;
  models: readonly OutboxModel[];
  logger?: Logger;
  /** Backstop poll; `nudge()` after a local write gives low latency. Default 1000. */
  pollMs?: number;
  /** How long a claimed document stays invisible to other relays; also the retry delay after a failed publish. Default 30000. */
  leaseMs?: number;
  /** Documents worked on at once per model. Default 4. */
  concurrency?: number;
  /** The clock that says when a document is due and when a lease ends (tests move it). Default `() => new Date()`. */
  now?: () => Date;
}

export interface OutboxRelay {
  /** Publish now rather than at the next poll. */
  nudge(): void;
  /** Publish everything claimable now; resolves when none is left. */
  drain(): Promise<void>;
  /** Stops polling and finishes the batch in flight. */
  stop(): Promise<void>;
  /** Envelopes this relay got confirmed, and publish attempts that failed (to be retried). */
  stats(): { published: number; failedPublishes: number };
}

interface OutboxDocument {
  _id: mongo.ObjectId;
  outbox: Array<{ id: string }>;
  outbox_at?: Date | null;
}

/** The outbox fields typed over whatever else the model's documents hold. */
function outboxCollection(model: OutboxModel): mongo.Collection<OutboxDocument> {
  return model.collection as unknown as mongo.Collection<OutboxDocument>;
}

/**
 * Publishes the envelopes waiting in documents' `outbox` arrays. A relay claims a document by
 * moving its `outbox_at` forward by a lease in one conditional update, so relays in several
 * processes do not pick the same document in the common case; it publishes the envelopes in
 * array order with confirms, `$pull`s exactly the confirmed ids, and clears `outbox_at` only if
 * the outbox is then empty. Unconfirmed envelopes stay and are tried again after the lease.
 * Delivery is at-least-once: consumers deduplicate by envelope id (see `once`).
 */
export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const {
    bus,
    models,
    logger = silentLogger,
    pollMs = 1000,
    leaseMs = 30_000,
    concurrency = 4,
    now: clock = () => new Date(),
  } = options;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let published = 0;
  let failedPublishes = 0;

  async function claim(model: OutboxModel): Promise<OutboxDocument | null> {
    const now = clock();
    // The document as it was when claimed: the claim changes only outbox_at. (mongo-java-server
    // does not return an exact post-image under concurrency; the pre-image is exact everywhere.)
    return outboxCollection(model).findOneAndUpdate(
      { outbox_at: { $lte: now } },
      { $set: { outbox_at: new Date(now.getTime() + leaseMs) } },
      { sort: { outbox_at: 1 }, returnDocument: 'before', projection: { outbox: 1 } },
    );
  }

  async function relay(model: OutboxModel, doc: OutboxDocument): Promise<void> {
    const envelopes = (doc.outbox ?? []) as unknown as DomainEvent[];
    const collection = outboxCollection(model);
    let confirmedIds: string[] = [];
    try {
      if (envelopes.length > 0) await bus.publish(envelopes);
      confirmedIds = envelopes.map((e) => e.id);
    } catch (err) {
      failedPublishes++;
      if (err instanceof PublishError) confirmedIds = err.confirmedIds;
      logger.error(
        {
          model: model.modelName,
          id: String(doc._id),
          pending: envelopes.length - confirmedIds.length,
          ...errorFields(err),
        },
        'outbox publish failed; retrying after the lease',
      );
    }
    published += confirmedIds.length;
    if (confirmedIds.length > 0) {
      await collection.updateOne({ _id: doc._id }, { $pull: { outbox: { id: { $in: confirmedIds } } } });
    }
    if (confirmedIds.length < envelopes.length) return; // the lease holds it back until the retry
    const cleared = await collection.updateOne(
      { _id: doc._id, outbox: { $size: 0 } },
      {
        $set: { outbox_at: null },
      },
    );
    if (cleared.matchedCount === 0) {
      // More envelopes arrived while we published: make the document due again right away.
      await collection.updateOne({ _id: doc._id }, { $set: { outbox_at: clock() } });
    }
  }

  /** Claims and relays documents of one model until none is due. */
  async function work(model: OutboxModel): Promise<void> {
    while (!stopped) {
      let doc: OutboxDocument | null;
      try {
        doc = await claim(model);
      } catch (err) {
        logger.error({ model: model.modelName, ...errorFields(err) }, 'outbox claim failed');
        return;
      }
      if (!doc) return;
      try {
        await relay(model, doc);
      } catch (err) {
        // A database error after claiming: the lease makes the document due again later.
        logger.error({ model: model.modelName, id: String(doc._id), ...errorFields(err) }, 'outbox relay failed');
      }
    }
  }

  async function round(): Promise<void> {
    if (!bus.isReady()) return;
    await Promise.all(models.flatMap((model) => Array.from({ length: concurrency }, () => work(model))));
  }

  function tick(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    clearTimeout(timer);
    running = (async () => {
      do {
        again = false;
        await round();
      } while (again && !stopped);
    })().finally(() => {
      running = null;
      if (!stopped) timer = setTimeout(tick, pollMs);
    });
    return running;
  }

  timer = setTimeout(tick, 0);

  return {
    nudge() {
      if (!stopped) void tick();
    },
    async drain() {
      if (!stopped) await tick();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
    stats() {
      return { published, failedPublishes };
    },
  };
}
