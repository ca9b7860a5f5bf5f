/**
 * A small strict XML well-formedness check for XHTML fragments (tests only): balanced tags,
 * quoted attributes, no duplicate attributes, only the five predefined entities or numeric
 * references, no stray `<` or `&`. Returns the problems found (empty when well-formed).
 */
export function xmlProblems(fragment: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const name = '[A-Za-z_][\\w.:-]*';
  const tagRe = new RegExp(`^<(/?)(${name})((?:\\s+${name}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`);
  let i = 0;
  while (i < fragment.length) {
    const c = fragment[i]!;
    if (c === '<') {
      const m = tagRe.exec(fragment.slice(i));
      if (!m) {
        problems.push(`bad markup at ${i}: ${fragment.slice(i, i + 30)}`);
        i++;
        continue;
      }
      const [all, close, tag, attrs, selfClose] = m;
      const seen = new Set<string>();
      for (const a of attrs!.matchAll(new RegExp(`(${name})\\s*=\\s*"([^"]*)"`, 'g'))) {
        if (seen.has(a[1]!)) problems.push(`duplicate attribute ${a[1]} on <${tag}>`);
        seen.add(a[1]!);
        checkEntities(a[2]!, problems);
      }
      if (close) {
        const open = stack.pop();
        if (open !== tag) problems.push(`</${tag}> closes <${open}>`);
      } else if (!selfClose) stack.push(tag!);
      i += all.length;
      continue;
    }
    const next = fragment.indexOf('<', i);
    const text = fragment.slice(i, next === -1 ? undefined : next);
    if (text.includes('>')) problems.push(`raw > in text is allowed but suspicious: ${text.slice(0, 20)}`);
    checkEntities(text, problems);
    i = next === -1 ? fragment.length : next;
  }
  if (stack.length) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems.filter((p) => !p.startsWith('raw >'));
}

function checkEntities(s: string, problems: string[]): void {
  for (const m of s.matchAll(/&([^;\s]*);?/g)) {
    if (!/^(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+)$/.test(m[1]!) || !m[0].endsWith(';'))
      problems.push(`bad entity ${m[0]}`);
  }
}
