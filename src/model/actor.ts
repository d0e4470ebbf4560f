// Actor attribution: who wrote a record, frozen at write time. Records never carry a userId.

export const ActorKind = { user: 'user', agent: 'agent', system: 'system' } as const;
export type ActorKind = (typeof ActorKind)[keyof typeof ActorKind];

export interface Actor {
  readonly kind: ActorKind;
  readonly principalId: string;
  readonly displayName: string;
}
