/** The object a JSON value is, or undefined for anything else (null, a list, a scalar). */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** The object a text holds as JSON; undefined when it is not JSON or not an object. Never throws. */
export function parseJsonObject(text: string): Record<string, unknown> | undefined {
  try {
    return objectOf(JSON.parse(text))
  } catch {
    return undefined
  }
}
