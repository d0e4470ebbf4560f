// Moving tags between Spaces and presets. Copies always get fresh ids (a record belongs to one
// Space); group links are remapped. Locked values are never copied as placeholders.
import { isLocked, LockedError } from '../crypto/field-codec.ts';
import type { Readable } from '../crypto/field-codec.ts';
import type { PresetTag } from './records.ts';
import type { Space } from './space.ts';

/** The plaintext of a sealed field, or a LockedError: copies must not spread placeholders. */
function plain(value: Readable<string>, what: string): string {
  if (isLocked(value)) throw new LockedError(`Cannot copy ${what}: it is locked`, value.reason);
  return value;
}

/** The Space's live tags as preset entries (group ids become group names). */
export function tagsAsPresetEntries(space: Space): PresetTag[] {
  const groupNames = new Map<string, string>();
  for (const group of space.tagGroups.list()) {
    groupNames.set(group.id, plain(group.name, `tag group ${group.id}`));
  }
  return space.tags.list().map((tag) => {
    const entry: PresetTag = { name: plain(tag.name, `tag ${tag.id}`), color: tag.color };
    if (tag.icon !== undefined) entry.icon = plain(tag.icon, `tag ${tag.id}`);
    const groupName = tag.groupId === undefined ? undefined : groupNames.get(tag.groupId);
    if (groupName !== undefined) entry.groupName = groupName;
    return entry;
  });
}

/**
 * Creates the preset's tags in `target` with fresh ids, in one transaction. Groups are matched by
 * name: an existing live group of that name is reused, otherwise it is created.
 */
export function applyPresetTags(entries: readonly PresetTag[], target: Space): number {
  const groupIds = new Map<string, string>();
  for (const group of target.tagGroups.list()) {
    if (!isLocked(group.name) && !groupIds.has(group.name)) groupIds.set(group.name, group.id);
  }
  target.batch(() => {
    for (const entry of entries) {
      let groupId: string | undefined;
      if (entry.groupName !== undefined) {
        groupId = groupIds.get(entry.groupName);
        if (groupId === undefined) {
          groupId = target.tagGroups.create({ name: entry.groupName, color: entry.color }).id;
          groupIds.set(entry.groupName, groupId);
        }
      }
      target.tags.create({ name: entry.name, color: entry.color, icon: entry.icon, groupId });
    }
  });
  return entries.length;
}

/** A Space's live tag groups and tags as plain data, read before the target is opened. */
export interface TagCopy {
  readonly groups: readonly { id: string; name: string; color: string }[];
  readonly tags: readonly { name: string; color: string; icon?: string; groupId?: string }[];
}

/** Reads what `writeTagCopy` writes; throws LockedError when a name is locked. */
export function readTagCopy(source: Space): TagCopy {
  const groups = source.tagGroups.list().map((group) => ({
    id: group.id,
    name: plain(group.name, `tag group ${group.id}`),
    color: group.color,
  }));
  const tags = source.tags.list().map((tag) => ({
    name: plain(tag.name, `tag ${tag.id}`),
    color: tag.color,
    icon: tag.icon === undefined ? undefined : plain(tag.icon, `tag ${tag.id}`),
    groupId: tag.groupId,
  }));
  return { groups, tags };
}

/**
 * Creates the copied groups and tags in `target` in one transaction: fresh ids, groups remapped.
 */
export function writeTagCopy(copy: TagCopy, target: Space): number {
  target.batch(() => {
    const groupIds = new Map<string, string>();
    for (const group of copy.groups) {
      groupIds.set(group.id, target.tagGroups.create({ name: group.name, color: group.color }).id);
    }
    for (const tag of copy.tags) {
      const groupId = tag.groupId === undefined ? undefined : groupIds.get(tag.groupId);
      target.tags.create({ name: tag.name, color: tag.color, icon: tag.icon, groupId });
    }
  });
  return copy.tags.length;
}
