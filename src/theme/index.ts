/**
 * The theme: what every format renders with. Templates (the book's own overriding the built-in
 * ones by name), the few words the book prints in its language, and one stylesheet per medium.
 * Loaded once per build; formats only read it.
 */
import type { Config } from '../config/index.js';
import type { Medium } from '../model.js';
import { type Strings, stringsFor } from './strings.js';
import { stylesheetFor } from './styles.js';
import { loadTemplates, type Templates } from './templates.js';

export interface Theme {
  /** The book's language (BCP 47): the strings' and dates' language. */
  language: string;
  templates: Templates;
  strings: Strings;
  /** The stylesheet of a medium: the built-in sheets, then the book's own, which win. */
  stylesheet(medium: Medium): string;
}

export function loadTheme(config: Config, language: string): Theme {
  const sheets = new Map<Medium, string>();
  return {
    language,
    templates: loadTemplates(language, config.templatesDir),
    strings: stringsFor(language),
    stylesheet(medium) {
      let sheet = sheets.get(medium);
      if (sheet === undefined) sheets.set(medium, (sheet = stylesheetFor(medium, config)));
      return sheet;
    },
  };
}
