/**
 * English hyphenation for print. Chromium on Linux ships no hyphenation dictionaries, so
 * `hyphens: auto` does nothing there; instead the print HTML carries soft hyphens (U+00AD) at the
 * points the TeX patterns for US English allow (npm `hyphen`), which Chromium honours.
 *
 * Only text inside an element marked `lang="en..."` is touched, and never inside headings, the
 * article opener, code, preformatted text, or anything that looks like a URL, a path or an address.
 */
import en from 'hyphen/en-us/index.js';

const SKIP = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'script', 'style', 'title', 'svg', 'math']);
const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'source', 'track', 'wbr']);
/** A word worth hyphenating: letters only, not glued to a URL, a path, an address or a number. */
const WORD = /(?<![\p{L}\p{N}/.@:#_\\-])([A-Za-z][a-z]{5,})(?![\p{L}\p{N}/@_\\]|\.\w|-\w)/gu;

export interface Hyphenator {
  (html: string): string;
}

/** A hyphenator with its own cache of words (a book repeats its words a lot). */
export function createHyphenator(): Hyphenator {
  const cache = new Map<string, string>();
  const word = (w: string): string => {
    let out = cache.get(w);
    if (out === undefined) {
      out = en.hyphenateSync(w, { minWordLength: 6 });
      cache.set(w, out);
    }
    return out;
  };
  return (html: string): string => {
    const stack: Array<{ tag: string; lang?: string; skip: boolean }> = [];
    let lang = '';
    let skipping = 0;
    return html.replace(/<!--[\s\S]*?-->|<\/?([a-zA-Z][\w-]*)([^>]*)>|[^<]+/g, (token, tag: string | undefined, attrs: string | undefined) => {
      if (token.startsWith('<!--')) return token;
      if (tag) {
        const name = tag.toLowerCase();
        if (token.startsWith('</')) {
          // Pop to the matching element (tolerates unclosed children).
          for (let k = stack.length - 1; k >= 0; k--) {
            if (stack[k]!.tag === name) {
              for (const popped of stack.splice(k)) if (popped.skip) skipping--;
              break;
            }
          }
          lang = [...stack].reverse().find((e) => e.lang !== undefined)?.lang ?? '';
        } else if (!VOID.has(name) && !attrs?.trimEnd().endsWith('/')) {
          const declared = /\slang="([^"]*)"/.exec(attrs ?? '')?.[1];
          const skip = SKIP.has(name) || /\bclass="[^"]*\b(original-title|byline)\b/.test(attrs ?? '');
          stack.push({ tag: name, lang: declared, skip });
          if (skip) skipping++;
          if (declared !== undefined) lang = declared;
        }
        return token;
      }
      if (skipping > 0 || !lang.toLowerCase().startsWith('en')) return token;
      return token.replace(WORD, (w) => word(w));
    });
  };
}
