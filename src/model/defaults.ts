// Names written once when a Space is bootstrapped, in the creating user's locale.
import type { SpaceType } from './space.ts';

export const Locale = { en: 'en', de: 'de' } as const;
export type Locale = (typeof Locale)[keyof typeof Locale];

export const defaultAgentName: Record<SpaceType, Record<Locale, string>> = {
  personal: { en: 'Mana', de: 'Mana' },
  family: { en: 'Family Helper', de: 'Familien-Helfer' },
  team: { en: 'Team Assistant', de: 'Team-Assistent' },
  brand: { en: 'Brand Assistant', de: 'Brand-Assistent' },
  club: { en: 'Club Helper', de: 'Verein-Helfer' },
  practice: { en: 'Practice Assistant', de: 'Praxis-Assistent' },
};

export const defaultSceneTitle: Record<Locale, string> = { en: 'Overview', de: 'Übersicht' };

export const personalSpaceName: Record<Locale, string> = { en: 'Personal', de: 'Persönlich' };

/** Deterministic ids of the singletons every Space gets, so offline peers converge on one. */
export const DEFAULT_AGENT_ID = 'default-agent';
export const DEFAULT_SCENE_ID = 'default-scene';
