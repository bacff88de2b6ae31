/** A package a scenario needs, optionally with exports that must be there. */
export type Requirement = string | { pkg: string; exports: string[] };

/**
 * Which requirements are not met yet (packages still being written are not built, or lack
 * an export): the scenario then skips those variants and says what it awaits.
 */
export async function missing(requirements: readonly Requirement[]): Promise<string[]> {
  const out: string[] = [];
  for (const req of requirements) {
    const pkg = typeof req === 'string' ? req : req.pkg;
    const names = typeof req === 'string' ? [] : req.exports;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pkg)) as Record<string, unknown>;
    } catch {
      out.push(`${pkg} (not built)`);
      continue;
    }
    const absent = names.filter((n) => mod[n] === undefined);
    if (absent.length > 0) out.push(`${pkg} export ${absent.join(', ')}`);
  }
  return out;
}
