import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnthologyError } from '../errors.js';
import { displayPath, type Config, type Target } from '../config/index.js';
import { LAYOUTS, type Book } from '../model.js';
import { BUILTIN_STYLES } from './templates.js';

/**
 * The book's CSS for one target: the built-in base, the target's sheet, every layout's sheet
 * (articles may choose their own layout), then the book's own stylesheets, which win.
 */
export function stylesheetFor(target: Target, config: Config): string {
  const builtin = ['base.css', target === 'epub' ? 'epub.css' : 'print.css', ...LAYOUTS.map((l) => `layout-${l}.css`)];
  const parts = builtin.map((name) => readStyle(join(BUILTIN_STYLES, name), true));
  for (const file of [...config.stylesheets.all, ...config.stylesheets[target]]) parts.push(readStyle(file, false));
  return parts.join('\n');
}

function readStyle(file: string, builtin: boolean): string {
  try {
    return `/* ${builtin ? 'anthology: ' : ''}${file.split('/').pop()} */\n${readFileSync(file, 'utf8')}`;
  } catch {
    throw new AnthologyError(`stylesheet not found: ${displayPath(file)}`);
  }
}

/** Every language the book's text is in, the main one first. */
export function languagesOf(book: Book): string[] {
  const langs = new Set<string>([book.meta.language]);
  for (const chapter of book.chapters) {
    for (const article of chapter.articles) {
      for (const lang of [article.translationLang, article.originalLang]) if (lang && lang !== 'und') langs.add(lang);
    }
  }
  return [...langs];
}
