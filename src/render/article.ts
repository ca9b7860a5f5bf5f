import { renderBlocks } from '../bilingual/layout.js';
import { detectLanguage } from '../bilingual/language.js';
import type { Article, LayoutName, PairOrder } from '../model.js';
import type { Templates } from './templates.js';

export interface ArticleRenderOptions {
  layout: LayoutName;
  order: PairOrder;
  /** True for EPUB (XHTML): adds xml:lang and epub:type. */
  xml: boolean;
  /** The article title's element; its body headings start one level below. */
  titleTag: 'h1' | 'h2';
}

/** One article as an HTML fragment: its opener (titles, author, source, date) and its blocks. */
export function renderArticle(article: Article, templates: Templates, options: ArticleRenderOptions): string {
  const titleLevel = Number(options.titleTag.slice(1));
  const body = renderBlocks(article.blocks, { layout: options.layout, order: options.order, headingBase: titleLevel + 1 });
  return templates.render('article', {
    article,
    body,
    layout: options.layout,
    xml: options.xml,
    titleTag: options.titleTag,
    titleLang: titleLanguage(article),
    showOriginalTitle: showsOriginalTitle(article, options.layout),
    sourceLabel: sourceLabel(article),
  });
}

export function titleLanguage(article: Article): string {
  const detected = detectLanguage(article.meta.title);
  return detected === 'und' ? article.translationLang : detected;
}

/** The original title is worth showing when it says something the title does not. */
export function showsOriginalTitle(article: Article, layout: LayoutName): boolean {
  const { title, originalTitle } = article.meta;
  return Boolean(originalTitle && originalTitle !== title && layout !== 'translation');
}

/** The host of the source (`www.theatlantic.com`), shorter than the whole URL. */
export function sourceLabel(article: Article): string | undefined {
  const { source, hostname } = article.meta;
  if (hostname) return hostname.replace(/^www\./, '');
  if (!source) return undefined;
  try {
    return new URL(source).hostname.replace(/^www\./, '');
  } catch {
    return source;
  }
}
