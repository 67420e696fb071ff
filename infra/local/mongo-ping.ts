// Exits 0 when a MongoDB-wire server at argv[2] answers a command. `isMaster` rather than `hello`:
// mongo-java-server does not implement `hello` (it answers the legacy handshake only).
import { MongoClient } from 'mongodb';

const client = new MongoClient(process.argv[2] ?? 'mongodb://127.0.0.1:27017', { serverSelectionTimeoutMS: 2000 });
try {
  const reply = await client.db('admin').command({ isMaster: 1 });
  console.log(`wire versions ${reply.minWireVersion}..${reply.maxWireVersion}`);
  process.exit(0);
} catch (error) {
  console.error(String(error));
  process.exit(1);
} finally {
  await client.close().catch(() => {});
}
