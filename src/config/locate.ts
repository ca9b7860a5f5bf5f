/**
 * Finds the line of a key in TOML text, so schema errors can name it. TOML parsers give values,
 * not positions; this scan understands just enough TOML (table headers, array-of-tables headers,
 * dotted and quoted keys at line start) to point at the right line in ordinary config files.
 */
export function lineOfKey(source: string, path: readonly (string | number)[]): number | undefined {
  const lines = source.split(/\r?\n/);
  let table: string[] = [];
  const arrayCounts = new Map<string, number>();
  let best: number | undefined;
  let bestDepth = -1;

  lines.forEach((raw, index) => {
    const line = raw.trim();
    const header = /^\[\[\s*([^\]]+?)\s*\]\]|^\[\s*([^\]]+?)\s*\]/.exec(line);
    if (header) {
      const isArray = header[1] !== undefined;
      const name = splitKey((header[1] ?? header[2])!);
      if (isArray) {
        const key = name.join('.');
        const n = arrayCounts.get(key) ?? 0;
        arrayCounts.set(key, n + 1);
        table = [...name, String(n)];
      } else {
        table = name;
      }
      consider(table, index);
      return;
    }
    const assignment =
      /^((?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+)(?:\s*\.\s*(?:"[^"]*"|'[^']*'|[A-Za-z0-9_-]+))*)\s*=/.exec(line);
    if (assignment) consider([...table, ...splitKey(assignment[1]!)], index);
  });
  return best;

  /** Keeps the line whose key path matches the longest prefix of the wanted path. */
  function consider(keyPath: string[], index: number) {
    const wanted = path.map(String);
    let depth = 0;
    while (depth < keyPath.length && depth < wanted.length && keyPath[depth] === wanted[depth]) depth++;
    if (depth === keyPath.length && depth > bestDepth) {
      best = index + 1;
      bestDepth = depth;
    }
  }
}

function splitKey(key: string): string[] {
  return (key.match(/"[^"]*"|'[^']*'|[^.\s]+/g) ?? []).map((part) => part.replace(/^["']|["']$/g, ''));
}
