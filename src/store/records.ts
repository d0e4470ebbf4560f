// The shape of every record the store keeps. Field names here and in src/crypto/registry.ts must
// match exactly; test/node/registry.test.ts fails (typecheck and run time) when they drift.
import type { Actor } from '../model/actor.ts';
import type { Locale } from '../model/defaults.ts';
import type { Role, SpaceType } from '../model/space.ts';
import type { Readable } from '../crypto/field-codec.ts';
import type { CollectionName, EncryptedField } from '../crypto/registry.ts';

export interface TagFields {
  name: string;
  color: string;
  icon?: string;
  groupId?: string;
  sortOrder: number;
}

export interface TagGroupFields {
  name: string;
  color: string;
  sortOrder: number;
}

export interface SceneFields {
  title: string;
  /** An opaque layout description owned by the host (e.g. 'grid', 'list'). */
  layout: string;
  scopeTagIds?: string[];
  order: number;
}

export const AgentKind = { default: 'default', custom: 'custom' } as const;
export type AgentKind = (typeof AgentKind)[keyof typeof AgentKind];

export interface AgentFields {
  name: string;
  role: string;
  systemPrompt: string;
  memory: string;
  kind: AgentKind;
}

export interface MissionFields {
  agentId: string;
  title: string;
  objective: string;
  state: string;
  nextRunAt?: number;
}

export interface MetaFields {
  name: string;
  type: SpaceType;
  schemaVersion: number;
  legacyImportedAt?: number;
}

/** A tag inside a preset: no ids, since presets only seed new records. */
export interface PresetTag {
  name: string;
  color: string;
  icon?: string;
  groupName?: string;
}

export interface PresetFields {
  name: string;
  isDefault: boolean;
  tags: PresetTag[];
}

export interface SpaceListFields {
  name: string;
  type: SpaceType;
  role: Role;
}

/** The colour scheme the user chose; `system` follows the device. */
export const Theme = { light: 'light', dark: 'dark', system: 'system' } as const;
export type Theme = (typeof Theme)[keyof typeof Theme];

/** The user's settings (one record in the user doc, synced to every device of the user). */
export interface SettingsFields {
  locale: Locale;
  theme: Theme;
}

export interface KontextLogFields {
  /** One Y.Text update of the context document, base64url-encoded before sealing. */
  update: string;
}

/** The fields a caller may write in each collection (system fields are the store's). */
export interface CollectionFields {
  tags: TagFields;
  tagGroups: TagGroupFields;
  scenes: SceneFields;
  agents: AgentFields;
  missions: MissionFields;
  meta: MetaFields;
  presets: PresetFields;
  spaceList: SpaceListFields;
  settings: SettingsFields;
  kontext: KontextLogFields;
}

/** The collections of a Space doc that hold records with the generic collection API. */
export const recordCollections = ['tags', 'tagGroups', 'scenes', 'agents', 'missions'] as const;
export type RecordCollection = (typeof recordCollections)[number];

/** Fields every stored record carries. */
export interface SystemFields {
  id: string;
  createdAt: number;
  updatedAt: number;
  deletedAt?: number;
  __lastActor: Actor;
  __fieldActors: Record<string, Actor>;
}

/** A record as read: sealed fields come back as their value or a LockedValue placeholder. */
export type ReadRecord<C extends CollectionName & keyof CollectionFields> = SystemFields & {
  [K in keyof CollectionFields[C]]: K extends EncryptedField<C>
    ? Readable<CollectionFields[C][K]>
    : CollectionFields[C][K];
};

export type Tag = ReadRecord<'tags'>;
export type TagGroup = ReadRecord<'tagGroups'>;
export type Scene = ReadRecord<'scenes'>;
export type Agent = ReadRecord<'agents'>;
export type Mission = ReadRecord<'missions'>;
