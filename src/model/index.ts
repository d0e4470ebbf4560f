export * from './space.ts';
export * from './actor.ts';
export * from './defaults.ts';
export * from './protocol.ts';
