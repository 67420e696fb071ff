import { isDuplicateKey, modelOn } from '@convene/kit';
import type { Connection, InferSchemaType, Model } from 'mongoose';
import { Schema } from 'mongoose';

/** An access-token signing key pair. The private half is encrypted when SIGNING_KEY_SECRET is set. */
const SigningKeySchema = new Schema(
  {
    _id: { type: String, required: true },
    generation: { type: Number, required: true },
    alg: { type: String, required: true },
    public_jwk: { type: Schema.Types.Mixed, required: true },
    /** A JWK object, or "enc:v1:..." when encrypted at rest. */
    private_jwk: { type: Schema.Types.Mixed, required: true },
    created_at: { type: Date, required: true },
    activates_at: { type: Date, required: true },
  },
  { collection: 'signing_keys', versionKey: false, minimize: false },
);
// Rotation inserts generation max+1: two replicas rotating at once cannot both win.
SigningKeySchema.index({ generation: 1 }, { unique: true, name: 'generation_unique' });

export type SigningKeyDoc = InferSchemaType<typeof SigningKeySchema> & { _id: string };

export interface SigningKeyStore {
  model: Model<SigningKeyDoc>;
  all(): Promise<SigningKeyDoc[]>;
  /** False when another writer took this generation first. */
  insert(doc: SigningKeyDoc): Promise<boolean>;
  remove(kids: string[]): Promise<void>;
}

export function signingKeyStore(connection: Connection): SigningKeyStore {
  const model = modelOn<SigningKeyDoc>(connection, 'SigningKey', SigningKeySchema);
  return {
    model,
    all: () => model.find().sort({ generation: 1 }).lean<SigningKeyDoc[]>(),
    async insert(doc) {
      try {
        await model.collection.insertOne(doc as never);
        return true;
      } catch (err) {
        if (isDuplicateKey(err)) return false;
        throw err;
      }
    },
    async remove(kids) {
      if (kids.length) await model.deleteMany({ _id: { $in: kids } });
    },
  };
}
