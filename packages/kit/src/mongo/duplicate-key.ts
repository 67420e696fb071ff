// The bus recognises MongoDB's duplicate-key refusal for its markers and relay leases; kit is built
// on the bus, so the one recogniser lives there and kit passes it on to the services.
export { duplicateKeyIndexes, isDuplicateKey } from '@convene/bus';
