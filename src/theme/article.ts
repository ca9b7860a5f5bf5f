import { detectLanguage } from '../bilingual/language.js';
import { type BlockMarks, renderBlocks } from '../bilingual/layout.js';
import type { Article, Block, LayoutName, PairOrder } from '../model.js';
import type { Templates } from './templates.js';

export interface ArticleRenderOptions {
  layout: LayoutName;
  order: PairOrder;
  /** True for EPUB (XHTML): adds xml:lang and epub:type. */
  xml: boolean;
  /** The article title's element; its body headings start one level below. */
  titleTag: 'h1' | 'h2';
  /** Ids for the article's blocks, or markup before them (bilingual/layout.ts). */
  marks?: BlockMarks;
  /** The preview wraps each top-level block (to mark its source line and its problems); the outputs leave it unset. */
  wrapBlock?: (block: Block, html: string) => string;
}

/** One article as an HTML fragment: its opener (titles, author, source, date) and its blocks. */
export function renderArticle(article: Article, templates: Templates, options: ArticleRenderOptions): string {
  const titleLevel = Number(options.titleTag.slice(1));
  const body = renderBlocks(article.blocks, {
    layout: options.layout,
    order: options.order,
    headingBase: titleLevel + 1,
    xml: options.xml,
    marks: options.marks,
    wrap: options.wrapBlock,
  });
  return templates.render('article', {
    article,
    body,
    layout: options.layout,
    translationFirst: options.order === 'translation-first',
    xml: options.xml,
    titleTag: options.titleTag,
    titles: articleTitles(article, options.layout),
    sourceLabel: sourceLabel(article),
  });
}

/** The title an article shows in a layout, and the second title shown under it, if any. */
export interface ArticleTitles {
  title: string;
  lang: string;
  second?: string;
  secondLang?: string;
}

/**
 * An English edition (`original`) is titled with the original title alone, a Chinese edition
 * (`translation`) with the translated title alone; bilingual layouts show the book's title for
 * the article with the original title under it, when it says something the title does not.
 * Used by the opener, the contents, the EPUB navigation and the PDF outline and running heads.
 */
export function articleTitles(article: Article, layout: LayoutName): ArticleTitles {
  const { title, originalTitle } = article.meta;
  const langOf = (text: string, fallback: string) => {
    const detected = detectLanguage(text);
    return detected === 'und' ? fallback : detected;
  };
  if (layout === 'original' && originalTitle)
    return { title: originalTitle, lang: langOf(originalTitle, article.originalLang) };
  const main = { title, lang: langOf(title, article.translationLang) };
  if (layout === 'translation' || layout === 'original' || !originalTitle || originalTitle === title)
    return main;
  return { ...main, second: originalTitle, secondLang: langOf(originalTitle, article.originalLang) };
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
