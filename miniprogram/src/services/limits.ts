/**
 * The longest text a schema field takes (its zod `.max`), for an input's maxlength: the form stops
 * where the server would refuse. Looks through `.default()`, `.nullish()` and `.optional()`.
 */
export function maxLength(field: unknown, fallback = 200): number {
  let current = field as { maxLength?: unknown; def?: { innerType?: unknown } } | undefined;
  for (let depth = 0; depth < 6 && current; depth++) {
    if (typeof current.maxLength === 'number') return current.maxLength;
    current = current.def?.innerType as typeof current;
  }
  return fallback;
}
