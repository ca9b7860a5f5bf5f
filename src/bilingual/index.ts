/**
 * The bilingual stages for one article: parse its Markdown, find its two languages, pair.
 * Pure: the article's source in, blocks and diagnostics out.
 */

import { MAX_MARKER_INDENT, MAX_MARKERS_PER_LINE, parseMarkdown } from '../markdown/parse.js';
import type { ArticleSource, Block, Diagnostic } from '../model.js';
import { articleLanguages } from './article-languages.js';
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
  return { blocks, originalLang, translationLang, diagnostics };
}
