// The public entry point of space-kit.
export { createSpaceKit } from './kit.ts';
export type { Kit, SpaceKitOptions } from './kit.ts';
export type { SpaceMembers } from './kit-server.ts';
export { SpaceKit } from './store/space-kit.ts';
export type { KontextForPlanner, SpaceKitCoreOptions } from './store/space-kit.ts';
export { Space } from './store/space.ts';
export type { ImportedRecord } from './store/space.ts';
export { Collection } from './store/collection.ts';
export type {
  CollectionChange,
  CreateInput,
  ListOptions,
  UpdateInput,
} from './store/collection.ts';
export type { Kontext, KontextChange } from './store/kontext.ts';
export type { KitSpaces, CreateSpaceInput, TagSource } from './store/kit-spaces.ts';
export type { KitPresets } from './store/kit-presets.ts';
export type { Preset } from './store/presets.ts';
export type { SpaceSummary } from './store/user-store.ts';
export * from './store/records.ts';
export * from './store/errors.ts';
export { CURRENT_SCHEMA_VERSION, migrations, SchemaState } from './store/schema.ts';
export type { Migration } from './store/schema.ts';
export { SwitchableCodecSource, userFieldScope } from './store/codecs.ts';
export type { CodecScope, CodecSource } from './store/codecs.ts';
export type { DeviceStorage } from './store/device.ts';
export { memoryStorage } from './store/device.ts';
export type { LegacyExport, LegacyImportResult, LegacyRow } from './store/legacy.ts';
export * from './crypto/field-codec.ts';
export * from './crypto/registry.ts';
export * from './model/index.ts';
export type { AttachedDoc, DocAttachment, DocRef } from './sync/attachment.ts';
export { IndexeddbAttachment, databaseName } from './sync/persistence.ts';
export type { PersistedDoc } from './sync/persistence.ts';
export { ServerSync, createServerSync } from './sync/server-sync.ts';
export { ServerApi, ServerError, NetworkError } from './sync/server-api.ts';
export type { ServerMember, ServerSpace } from './sync/server-api.ts';
export { ConnectionState, DocStatus, SyncInterruptedError } from './sync/status.ts';
export type { DocStatusSnapshot } from './sync/status.ts';
export { Presence } from './sync/presence.ts';
export type { Peer, PresenceUser } from './sync/presence.ts';
export { WrongPassphraseError } from './crypto/master-key.ts';
