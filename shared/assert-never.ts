/**
 * Closes a switch that handles every member of a union: when a member is added without a case, the call no longer
 * type-checks. Reaching it at run time means data outside the union (a corrupt log, a newer client), so it throws.
 */
export function assertNever(value: never, what = 'value'): never {
  const tag =
    typeof value === 'object' && value !== null && 'type' in value ? (value as { type: unknown }).type : value;
  throw new Error(`unexpected ${what}: ${String(tag)}`);
}
