/**
 * One-language editions. A book in the `original` or `translation` layout is an edition in one
 * language (the originals', or the translations'); an article with nothing in that language (a
 * Chinese-only article in the English edition) would put a page of the other language in it
 * without a word. Such an article is left out of the book (`article/other-language`), unless
 * book.toml keeps it (`[layout] keep-other-language = true`), and only when every output of the
 * build is such an edition: a PDF with both languages next to an English EPUB keeps it.
 */

import { languageName } from '../bilingual/language.js';
import { languageGroup } from '../bilingual/leaf-language.js';
import type { Config } from '../config/index.js';
import type { Article, Block, Diagnostic, Medium } from '../model.js';

/** Below this share of its text in the edition's language, an article has "nothing" in it. */
const IN_EDITION_SHARE = 0.2;

/** Which of the articles stay (by index), and what is said of those left out. */
export function otherLanguageArticles(
  config: Config,
  articles: Article[],
): { leftOut: Set<number>; diagnostics: Diagnostic[] } {
  const leftOut = new Set<number>();
  const diagnostics: Diagnostic[] = [];
  if (config.layout.keepOtherLanguage) return { leftOut, diagnostics };
  const media = [
    ...new Set(config.formats.map((f): Medium => (f === 'pdf' || f === 'html' ? 'pdf' : 'epub'))),
  ];
  // the book's two languages: those most of its bilingual articles have
  const paired = articles.filter((a) => hasPair(a.blocks));
  const languages = {
    original: mostCommon(paired.map((a) => a.originalLang)),
    translation: mostCommon(paired.map((a) => a.translationLang)),
  };
  articles.forEach((article, index) => {
    let edition: { side: 'original' | 'translation'; lang: string; medium: Medium } | undefined;
    for (const medium of media) {
      const { layout } = article.layouts[medium];
      const lang = layout === 'original' || layout === 'translation' ? languages[layout] : undefined;
      if (
        !lang ||
        lang === 'und' ||
        showsLanguage(article.blocks, layout as 'original' | 'translation', lang)
      )
        return;
      edition ??= { side: layout as 'original' | 'translation', lang, medium };
    }
    if (!edition) return;
    leftOut.add(index);
    diagnostics.push({
      code: 'article/other-language',
      severity: 'warning',
      file: article.source,
      message: `nothing in ${languageName(edition.lang)}, the language of this ${edition.side === 'original' ? 'originals' : 'translations'}-only edition (layout ${edition.side}); left out ([layout] keep-other-language = true keeps it)`,
    });
  });
  return { leftOut, diagnostics };
}

function hasPair(blocks: Block[]): boolean {
  return blocks.some(
    (b) =>
      b.kind === 'pair' ||
      (b.kind === 'list' && b.items.some((item) => hasPair(item.blocks))) ||
      ((b.kind === 'quote' || b.kind === 'note') && hasPair(b.blocks)),
  );
}

function mostCommon(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

/** Does the layout show text of the article in `lang` (by script), a fifth of its text at least? */
function showsLanguage(blocks: Block[], layout: 'original' | 'translation', lang: string): boolean {
  const group = languageGroup(lang);
  let shown = 0;
  let inEdition = 0;
  const visit = (list: Block[]): void => {
    for (const b of list) {
      const segment =
        b.kind === 'pair'
          ? b[layout]
          : b.kind === 'single' && (b.type === 'paragraph' || b.type === 'heading')
            ? b.segment
            : undefined;
      if (segment) {
        if (!segment.text.trim()) continue;
        shown++;
        if (languageGroup(segment.lang) === group) inEdition++;
      } else if (b.kind === 'list') for (const item of b.items) visit(item.blocks);
      else if (b.kind === 'quote' || b.kind === 'note') visit(b.blocks);
    }
  };
  visit(blocks);
  return shown === 0 || inEdition >= IN_EDITION_SHARE * shown;
}
