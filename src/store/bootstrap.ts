// What every Space gets on first activation: its meta, the default agent and the default scene.
// The singletons use deterministic ids, so two peers that bootstrap offline merge into one each
// (Y.Map keeps one value per key). Existing records are never touched, so a rename survives.
// Two *new* records under one id are concurrent and only one is kept, which is why a device
// waits for its server's copy before bootstrapping a Space it never had (first-sync.ts).
import type * as Y from 'yjs';
import {
  DEFAULT_AGENT_ID,
  DEFAULT_SCENE_ID,
  defaultAgentName,
  defaultSceneTitle,
} from '../model/defaults.ts';
import type { Locale } from '../model/defaults.ts';
import type { SpaceType } from '../model/space.ts';
import type { PreparedField } from './record-codec.ts';
import { applyFields, newRecordMap, prepareFields } from './record-codec.ts';
import type { DocScope } from './scope.ts';

export interface BootstrapInit {
  readonly type: SpaceType;
  /** The Space's name, written to meta only if meta has none yet. */
  readonly name?: string;
  readonly locale: Locale;
}

/**
 * Writes what is missing in one system transaction. Sealed values the codec cannot seal now
 * (locked) are written in plaintext, for the at-rest sweep to seal after unlock: the defaults
 * are the kit's words, not the user's. Returns true when something was written.
 */
export function bootstrapSpace(scope: DocScope, init: BootstrapInit): boolean {
  const meta = scope.doc.getMap<unknown>('meta');
  const agents = scope.doc.getMap<Y.Map<unknown>>('agents');
  const scenes = scope.doc.getMap<Y.Map<unknown>>('scenes');

  // Type and name are prepared apart: a locked codec must not keep the plaintext type out.
  const metaPrepared = [
    ...(meta.get('type') === undefined
      ? prepareFields(scope, 'meta', 'meta', { type: init.type })
      : []),
    ...((meta.get('name') === undefined && init.name !== undefined
      ? tryPrepare(scope, 'meta', 'meta', { name: init.name })
      : undefined) ?? []),
  ];

  const type = (meta.get('type') as SpaceType | undefined) ?? init.type;
  const agent = agents.has(DEFAULT_AGENT_ID)
    ? undefined
    : tryPrepare(scope, 'agents', DEFAULT_AGENT_ID, {
        name: defaultAgentName[type][init.locale],
        role: 'assistant',
        systemPrompt: '',
        memory: '',
        kind: 'default',
      });
  const scene = scenes.has(DEFAULT_SCENE_ID)
    ? undefined
    : tryPrepare(scope, 'scenes', DEFAULT_SCENE_ID, {
        title: defaultSceneTitle[init.locale],
        layout: 'grid',
        order: 0,
      });

  const metaMissing = meta.get('createdAt') === undefined;
  if (!metaMissing && !metaPrepared.length && !agent && !scene) return false;
  const { actor } = scope.systemOrigin;
  const now = Date.now();
  scope.doc.transact(() => {
    if (metaMissing) {
      meta.set('id', 'meta');
      meta.set('createdAt', now);
    }
    if (metaPrepared.length) applyFields(meta, metaPrepared, actor, now);
    const create = (parent: Y.Map<unknown>, id: string, fields: readonly PreparedField[]) =>
      applyFields(newRecordMap(parent, id, actor, now), fields, actor, now);
    if (agent) create(agents as Y.Map<unknown>, DEFAULT_AGENT_ID, agent);
    if (scene) create(scenes as Y.Map<unknown>, DEFAULT_SCENE_ID, scene);
  }, scope.systemOrigin);
  return true;
}

function tryPrepare(
  scope: DocScope,
  collection: string,
  recordId: string,
  fields: object,
): PreparedField[] {
  return prepareFields(scope, collection, recordId, fields, { plaintextWhenLocked: true });
}
