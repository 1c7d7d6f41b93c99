/** A plain object (not null, not a list): the first check on anything parsed or posted. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
