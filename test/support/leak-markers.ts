// Marker strings for leak scans, and a writer that puts one into every field the crypto
// registry seals (so a newly classified field is covered without touching the tests).
import { encryptedFields } from '../../src/crypto/registry.ts';
import type { SpaceKit } from '../../src/store/space-kit.ts';
import { recordCollections } from '../../src/store/records.ts';
import type { RecordCollection } from '../../src/store/records.ts';

export class LeakMarkers {
  /** Every marker handed out so far: what the scan must not find. */
  readonly all: string[] = [];
  readonly #run = crypto.randomUUID().replaceAll('-', '').slice(0, 12);

  /** A new marker, unique to this run, recorded in `all`. */
  marker(label: string): string {
    const value = `LEAK${this.#run}${label}`;
    this.all.push(value);
    return value;
  }

  /** A marker not recorded in `all`: for plaintext fields the scan must find (a control). */
  control(label: string): string {
    return `LEAK${this.#run}${label}`;
  }

  /** Creates one record per collection in the active Space, a marker in every sealed field. */
  fillEverySealedField(kit: SpaceKit, round: string): Map<RecordCollection, string> {
    const ids = new Map<RecordCollection, string>();
    for (const collection of recordCollections) {
      const fields: Record<string, unknown> = plainFields(kit, collection);
      for (const field of encryptedFields(collection)) {
        fields[field] = this.marker(`${round}${field}`);
      }
      const handle = kit.activeSpace[collection] as unknown as {
        create(input: object): { id: string };
      };
      ids.set(collection, handle.create(fields).id);
    }
    return ids;
  }
}

/** Plaintext fields a create needs besides the sealed ones. */
function plainFields(kit: SpaceKit, collection: RecordCollection): Record<string, unknown> {
  switch (collection) {
    case 'tags':
    case 'tagGroups':
      return { color: '#123456' };
    case 'agents':
      return { name: 'Agent' };
    case 'missions':
      return { agentId: kit.activeSpace.agents.list()[0].id };
    default:
      return {};
  }
}
