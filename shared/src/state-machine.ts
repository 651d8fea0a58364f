/** A state machine as data: for each action, the states it may start from and the state it leads to. */
export type Transitions<S extends string> = Record<string, { from: readonly S[]; to: S }>;

/** The state an action leads to from `from`, or null when the action is not allowed there. */
export function nextState<S extends string>(machine: Transitions<S>, action: string, from: S): S | null {
  const rule = machine[action];
  return rule?.from.includes(from) ? rule.to : null;
}

/** Actions allowed from a state, in definition order. */
export function allowedActions<S extends string>(machine: Transitions<S>, from: S): string[] {
  return Object.entries(machine)
    .filter(([, rule]) => rule.from.includes(from))
    .map(([action]) => action);
}
