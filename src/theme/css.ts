/** A CSS string literal holding `value` (line breaks become spaces). */
export function cssString(value: string, quote: '"' | "'" = '"'): string {
  const escaped = value
    .replace(/\\/g, '\\\\')
    .replaceAll(quote, `\\${quote}`)
    .replace(/[\n\r\f]/g, ' ');
  return `${quote}${escaped}${quote}`;
}
