/**
 * The bilingual stages for one article: parse its Markdown, find its two languages, pair.
 * Pure: the article's source in, blocks and diagnostics out.
 */

import { MAX_MARKER_INDENT, MAX_MARKERS_PER_LINE, parseMarkdown } from '../markdown/parse.js';
import type { ArticleSource, Block, Diagnostic } from '../model.js';
import { articleLanguages } from './article-languages.js';
import { languageName } from './language.js';
import { pairNodes } from './pair.js';

export interface ArticleBlocks {
  blocks: Block[];
  originalLang: string;
  translationLang: string;
  diagnostics: Diagnostic[];
}

export function articleBlocks(source: ArticleSource, options: { file?: string } = {}): ArticleBlocks {
  const file = options.file ?? source.relPath;
  const { nodes, links, flattened } = parseMarkdown(source.body, source.bodyLine);
  const { originalLang, translationLang } = articleLanguages(nodes, links);
  const diagnostics: Diagnostic[] = flattened.map((line) => ({
    code: 'markdown/too-deep',
    file,
    line,
    severity: 'warning',
    message: `quotes and lists nested deeper than ${MAX_MARKERS_PER_LINE} markers or ${MAX_MARKER_INDENT} columns on one line; flattened`,
  }));
  const blocks = pairNodes(nodes, { file, links, originalLang, translationLang, diagnostics });
  const none = nothingPaired(blocks, file);
  if (none) diagnostics.push(none);
  return { blocks, originalLang, translationLang, diagnostics };
}

/**
 * `pair/none`: an article with text and not one pair, in one language only (an English article, a
 * Chinese one), or in two that do not pair (French then English: one script). It is no bilingual
 * text, which a build would otherwise show without a word.
 */
function nothingPaired(blocks: Block[], file: string): Diagnostic | undefined {
  const texts: { lang: string; line: number }[] = [];
  let paired = false;
  const visit = (list: Block[]): void => {
    for (const b of list) {
      if (b.kind === 'pair') paired = true;
      else if (b.kind === 'single') {
        if ((b.type === 'paragraph' || b.type === 'heading') && b.segment.text.trim())
          texts.push({ lang: b.segment.lang, line: b.line });
      } else if (b.kind === 'list') for (const item of b.items) visit(item.blocks);
      else visit(b.blocks);
    }
  };
  visit(blocks);
  if (paired || texts.length === 0) return undefined;
  const byLang = new Map<string, number>();
  for (const { lang } of texts) if (lang !== 'und') byLang.set(lang, (byLang.get(lang) ?? 0) + 1);
  const ranked = [...byLang].sort((a, b) => b[1] - a[1]);
  const name = languageName;
  const [first, count] = ranked[0] ?? ['und', texts.length];
  // a Chinese article with a few lines of English names is a Chinese article
  const message =
    ranked.length <= 1
      ? `nothing to pair: the article is all in ${first === 'und' ? 'one language' : name(first)}, with no translation in another script`
      : count >= 0.8 * texts.length
        ? `nothing to pair: the article is in ${name(first)} (${count} of ${texts.length} paragraphs), with no translation in another script`
        : `nothing to pair: it has paragraphs in ${ranked.map(([l]) => name(l)).join(' and ')}, but none is followed by its translation`;
  return { code: 'pair/none', file, line: texts[0]!.line, severity: 'warning', message };
}
