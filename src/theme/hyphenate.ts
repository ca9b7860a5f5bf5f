/**
 * English hyphenation for print. Chromium on Linux ships no hyphenation dictionaries, so
 * `hyphens: auto` does nothing there; instead the print HTML carries soft hyphens (U+00AD) at the
 * points the TeX patterns for US English allow (npm `hyphen`), which Chromium honours.
 *
 * Only text inside an element marked `lang="en..."` is touched, and never inside headings, the
 * article opener, code, preformatted text, or anything that looks like a URL, a path or an address.
 */
import { lazyPackage } from '../lazy.js';
import { readXhtml, writeXhtml, type XNode } from '../markdown/xhtml-tree.js';
import type { Book } from '../model.js';
import { mapBookSegments } from '../walk.js';

/** Loaded on first use (17 ms): only the PDF hyphenates, and a build of the EPUB alone should not wait for it. */
const en = lazyPackage<typeof import('hyphen/en-us/index.js').default>('hyphen/en-us/index.js');

/** Words longer than this are not hyphenated ("pneumonoultramicroscopicsilicovolcanoconiosis" has 45 letters). */
const LONGEST_WORD = 45;

/** Elements whose text is never hyphenated: code and the like. */
const SKIP = new Set(['code', 'pre', 'kbd', 'samp', 'var', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** A word worth hyphenating: letters only, not glued to a URL, a path, an address or a number. */
const WORD = /(?<![\p{L}\p{N}/.@:#_\\-])([A-Za-z][a-z]{5,})(?![\p{L}\p{N}/@_\\]|\.\w|-\w)/gu;

/**
 * The book with soft hyphens in its English prose: every segment in English (or holding an
 * element marked English), but not headings, code, or words glued to URLs, paths and addresses.
 */
export function hyphenateBook(book: Book): Book {
  const cache = new Map<string, string>();
  const word = (w: string): string => {
    // No English word is this long; a run of letters that is (a hash, a hostile file) stays whole:
    // the patterns take time with the square of a word's length.
    if (w.length > LONGEST_WORD) return w;
    let out = cache.get(w);
    if (out === undefined) {
      out = en().hyphenateSync(w, { minWordLength: 6 });
      cache.set(w, out);
    }
    return out;
  };
  const walk = (nodes: XNode[], lang: string): XNode[] =>
    nodes.map((node) => {
      if (node.type === 'text')
        return english(lang) && WORD.test(node.value)
          ? { ...node, value: node.value.replace(WORD, word) }
          : node;
      if (SKIP.has(node.name)) return node;
      const own = node.attrs.find(([name]) => name === 'lang')?.[1];
      return { ...node, children: walk(node.children, own ?? lang) };
    });
  return mapBookSegments(book, (segment, _article, { type }) => {
    if (type === 'heading' || type === 'code' || !/[A-Za-z]{6}/.test(segment.text)) return segment;
    if (!english(segment.lang) && !segment.html.includes(' lang="en')) return segment;
    const html = writeXhtml(walk(readXhtml(segment.html), segment.lang));
    return html === segment.html ? segment : { ...segment, html };
  });
}

const english = (lang: string): boolean => lang.toLowerCase().startsWith('en');
