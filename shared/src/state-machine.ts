/** A state machine as data: for each action, the states it may start from and the state it leads to. */
export type Transitions<S extends string> = Record<string, { from: readonly S[]; to: S }>;

/** Actions allowed from a state, in definition order. */
export function allowedActions<S extends string>(machine: Transitions<S>, from: S): string[] {
  return Object.entries(machine)
    .filter(([, rule]) => rule.from.includes(from))
    .map(([action]) => action);
}
