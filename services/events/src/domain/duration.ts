const units: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** "30d", "12h", "90m", "45s", "1500ms", "2w" → milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/i.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]) * units[match[2]!.toLowerCase()]!;
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
