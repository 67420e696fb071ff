import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { DomainEvent } from '@convene/contracts';
import type { Collection, mongo } from 'mongoose';
import type { Bus } from '../bus.ts';
import { drainOnNudge } from '../drain-on-nudge.ts';
import { PublishError } from '../errors.ts';
import { errorFields, type Logger, silentLogger } from '../logger.ts';
import { isDuplicateKey } from '../mongo/duplicate-key.ts';

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
  /**
   * Due documents read per query (a backlog is found with one query per this many documents, not
   * one sorted scan per document). Default 100.
   */
  batch?: number;
  /**
   * This relay is the only one publishing these collections while it holds a lease on each (a
   * document per collection in `outbox_relays`, renewed every round; another relay with this
   * option takes over once it runs out). The holder publishes without claiming each document,
   * whole batches at a time; the others publish nothing. Relays with and without this option
   * must not share a collection. Default false: every document is claimed on its own.
   */
  exclusive?: boolean;
  /** Who this relay is in `outbox_relays` (exclusive relays); default `<host>:<pid>:<random>`. */
  holder?: string;
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

interface RelayLease {
  _id: string;
  holder: string;
  until: Date;
}

/** The outbox fields typed over whatever else the model's documents hold. */
function outboxCollection(model: OutboxModel): mongo.Collection<OutboxDocument> {
  return model.collection as unknown as mongo.Collection<OutboxDocument>;
}

/** Exclusive relays' leases, one document per collection, in the collection's database. */
function leaseCollection(model: OutboxModel): mongo.Collection<RelayLease> {
  return model.collection.conn.collection('outbox_relays') as unknown as mongo.Collection<RelayLease>;
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
    batch = 100,
    exclusive = false,
    holder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`,
    now: clock = () => new Date(),
  } = options;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let published = 0;
  let failedPublishes = 0;

  /**
   * Due documents, oldest first, as they were when read: one query for up to `batch` of them (on
   * mongo-java-server every such query scans and sorts the collection, which made a 10k backlog
   * drain at a few documents a second when it ran once per document).
   */
  function due(model: OutboxModel, limit: number): Promise<OutboxDocument[]> {
    return outboxCollection(model)
      .find(
        { outbox_at: { $lte: clock() } },
        { sort: { outbox_at: 1 }, limit, projection: { outbox: 1, outbox_at: 1 } },
      )
      .toArray();
  }

  /**
   * Claims one document read by `due`: moves its `outbox_at` forward by a lease, only if no relay
   * did since it was read (by _id, so no scan). The document as it was when claimed: the claim
   * changes only outbox_at. (mongo-java-server does not return an exact post-image under
   * concurrency; the pre-image is exact everywhere.)
   */
  function claim(model: OutboxModel, seen: OutboxDocument): Promise<OutboxDocument | null> {
    const now = clock();
    return outboxCollection(model).findOneAndUpdate(
      { _id: seen._id, outbox_at: seen.outbox_at ?? null },
      { $set: { outbox_at: new Date(now.getTime() + leaseMs) } },
      { returnDocument: 'before', projection: { outbox: 1 } },
    );
  }

  /** Publishes the envelopes of `docs` (in order per document); the ids the broker confirmed. */
  async function publish(model: OutboxModel, docs: OutboxDocument[]): Promise<Set<string>> {
    const envelopes = docs.flatMap((doc) => (doc.outbox ?? []) as unknown as DomainEvent[]);
    if (envelopes.length === 0) return new Set();
    try {
      await bus.publish(envelopes);
      return new Set(envelopes.map((e) => e.id));
    } catch (err) {
      failedPublishes++;
      const confirmed = new Set(err instanceof PublishError ? err.confirmedIds : []);
      logger.error(
        {
          model: model.modelName,
          ids: docs.map((doc) => String(doc._id)),
          pending: envelopes.length - confirmed.size,
          ...errorFields(err),
        },
        'outbox publish failed; retrying after the lease',
      );
      return confirmed;
    }
  }

  /**
   * After publishing `doc`'s envelopes: in the common case one write empties the outbox and clears
   * outbox_at, on the condition that the outbox holds exactly the envelopes published (writers
   * only append, so an envelope written meanwhile makes it fail). Otherwise the confirmed ones are
   * pulled, and the document is due again at once (more were written) or after the lease (some
   * were not confirmed; `holdBack` sets that lease when no claim did).
   */
  async function settle(model: OutboxModel, doc: OutboxDocument, confirmed: Set<string>, holdBack: boolean) {
    const collection = outboxCollection(model);
    const ids = (doc.outbox ?? []).map((e) => e.id);
    const done = ids.filter((id) => confirmed.has(id));
    published += done.length;
    if (done.length === ids.length) {
      const filter = ids.length
        ? { _id: doc._id, outbox: { $size: ids.length }, 'outbox.id': { $all: ids } }
        : { _id: doc._id, outbox: { $size: 0 } };
      const cleared = await collection.updateOne(filter, { $set: { outbox: [], outbox_at: null } });
      if (cleared.matchedCount === 1) return;
    }
    if (done.length > 0) await collection.updateOne({ _id: doc._id }, { $pull: { outbox: { id: { $in: done } } } });
    if (done.length < ids.length) {
      // The lease holds it back until the retry.
      if (holdBack)
        await collection.updateOne({ _id: doc._id }, { $set: { outbox_at: new Date(clock().getTime() + leaseMs) } });
      return;
    }
    const cleared = await collection.updateOne({ _id: doc._id, outbox: { $size: 0 } }, { $set: { outbox_at: null } });
    if (cleared.matchedCount === 0) {
      // More envelopes arrived while we published: make the document due again right away.
      await collection.updateOne({ _id: doc._id }, { $set: { outbox_at: clock() } });
    }
  }

  /** `concurrency` workers claiming and relaying documents of one model until none is due. */
  async function workClaiming(model: OutboxModel): Promise<void> {
    let candidates: OutboxDocument[] = [];
    let exhausted = false;
    let refill: Promise<void> | null = null;
    const next = async (): Promise<OutboxDocument | undefined> => {
      while (!stopped) {
        const candidate = candidates.shift();
        if (candidate) return candidate;
        if (exhausted) return undefined;
        refill ??= due(model, batch).then(
          (docs) => {
            candidates = docs;
            exhausted = docs.length === 0;
            refill = null;
          },
          (err: unknown) => {
            logger.error({ model: model.modelName, ...errorFields(err) }, 'outbox claim failed');
            exhausted = true;
            refill = null;
          },
        );
        await refill;
      }
      return undefined;
    };
    const worker = async () => {
      for (let seen = await next(); seen; seen = await next()) {
        let doc: OutboxDocument | null;
        try {
          doc = await claim(model, seen);
        } catch (err) {
          logger.error({ model: model.modelName, ...errorFields(err) }, 'outbox claim failed');
          return;
        }
        if (!doc) continue; // another relay took it first
        try {
          await settle(model, doc, await publish(model, [doc]), false);
          // Settling may have made it due again (envelopes written meanwhile): look once more.
          exhausted = false;
        } catch (err) {
          // A database error after claiming: the lease makes the document due again later.
          logger.error({ model: model.modelName, id: String(doc._id), ...errorFields(err) }, 'outbox relay failed');
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
  }

  /** Holding the collection's relay lease: whole batches, published together, no claims. */
  async function workExclusive(model: OutboxModel): Promise<void> {
    while (!stopped) {
      if (!(await holdLease(model))) return;
      let docs: OutboxDocument[];
      try {
        docs = await due(model, batch);
      } catch (err) {
        logger.error({ model: model.modelName, ...errorFields(err) }, 'outbox read failed');
        return;
      }
      if (docs.length === 0) return;
      const confirmed = await publish(model, docs);
      const settling = docs.map((doc) =>
        settle(model, doc, confirmed, true).catch((err: unknown) => {
          // Not settled: still due, so it is published again (consumers deduplicate by id).
          logger.error({ model: model.modelName, id: String(doc._id), ...errorFields(err) }, 'outbox relay failed');
        }),
      );
      await Promise.all(settling);
    }
  }

  /** Takes or renews this relay's lease on the model's collection; false while another holds it. */
  async function holdLease(model: OutboxModel): Promise<boolean> {
    const leases = leaseCollection(model);
    const now = clock();
    try {
      const lease = await leases.findOneAndUpdate(
        { _id: model.collection.collectionName, $or: [{ holder }, { until: { $lte: now } }] },
        { $set: { holder, until: new Date(now.getTime() + leaseMs) } },
        { upsert: true, returnDocument: 'after' },
      );
      return lease?.holder === holder;
    } catch (err) {
      if (isDuplicateKey(err)) return false; // another relay holds it
      logger.error({ model: model.modelName, ...errorFields(err) }, 'outbox relay lease failed');
      return false;
    }
  }

  async function round(): Promise<void> {
    if (!bus.isReady()) return;
    await Promise.all(models.map((model) => (exclusive ? workExclusive(model) : workClaiming(model))));
  }

  // A nudge during a round makes one more round after it; the poll is scheduled once a drain ends.
  const rounds = drainOnNudge({
    pass: round,
    afterDrain: () => {
      if (!stopped) timer = setTimeout(tick, pollMs);
    },
  });
  function tick(): Promise<void> {
    clearTimeout(timer);
    return rounds.run();
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
      await rounds.stop();
    },
    stats() {
      return { published, failedPublishes };
    },
  };
}
