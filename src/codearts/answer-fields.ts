/**
 * A whole number sent as a number or a numeric string (schemas and examples disagree), of at
 * most 15 digits; undefined otherwise.
 */
export function countOf(value: unknown): number | undefined {
  const text =
    typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : ''
  return /^[0-9]{1,15}$/.test(text) ? Number(text) : undefined
}

/** A flag sent as a boolean or as the string `"true"`; anything else is false. */
export function isTrue(value: unknown): boolean {
  return value === true || value === 'true'
}
