import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { AnthologyError } from '../errors.js';
import { escapeAttr } from '../markdown/xhtml.js';
import { isInside, realpathOr } from '../paths.js';
import { formatDate, stringsFor, type StringKey } from './strings.js';

/** The folders that ship with anthology. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILTIN_TEMPLATES = join(PACKAGE_ROOT, 'templates');
export const BUILTIN_STYLES = join(PACKAGE_ROOT, 'styles');

export const TEMPLATE_NAMES = ['title-page', 'contents', 'chapter', 'article', 'epub-page', 'epub-cover', 'cover', 'print-book', 'print-contents', 'print-colophon'] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface Templates {
  render(name: TemplateName, data: object): string;
}

/**
 * Compiles the built-in templates once, each replaced by a file of the same name in the book's
 * own templates folder when there is one (`templates/article.hbs`, `templates/partials/*.hbs`).
 */
export function loadTemplates(language: string, overridesDir?: string): Templates {
  const hbs = Handlebars.create();
  const strings = stringsFor(language);
  hbs.registerHelper('t', (key: StringKey) => strings[key] ?? key);
  hbs.registerHelper('formatDate', (value: unknown) => (typeof value === 'string' ? formatDate(value, language) : ''));
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // A URL in an attribute, escaped as XML wants it (Handlebars' own escaping also turns `=` and a
  // backtick into character references, which a URL does not need).
  hbs.registerHelper('url', (value: unknown) => new hbs.SafeString(typeof value === 'string' ? escapeAttr(value) : ''));

  const source = (relPath: string): { text: string; file: string } => {
    const override = overridesDir ? join(overridesDir, relPath) : undefined;
    const file = override && existsSync(override) ? override : join(BUILTIN_TEMPLATES, relPath);
    if (file === override) confineOverride(file, overridesDir!);
    return { text: readFileSync(file, 'utf8'), file };
  };
  for (const partial of listPartials(overridesDir)) {
    hbs.registerPartial(basename(partial, '.hbs'), source(`partials/${partial}`).text);
  }
  const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();
  for (const name of TEMPLATE_NAMES) {
    const { text, file } = source(`${name}.hbs`);
    try {
      // Precompiling here turns a template syntax error into a message naming the file.
      compiled.set(name, hbs.compile(text, { strict: false, preventIndent: true }));
      hbs.precompile(text);
    } catch (error) {
      throw new AnthologyError(`template error: ${(error as Error).message.split('\n')[0]}`, { file });
    }
  }
  return {
    render(name, data) {
      return compiled.get(name)!(data);
    },
  };
}

/**
 * A template of the book's own must be a regular file inside its templates folder: a symlink out
 * of it would put any file of the machine into the book, and a FIFO would hang the build.
 */
function confineOverride(file: string, overridesDir: string): void {
  if (!isInside(realpathOr(file), realpathOr(overridesDir))) throw new AnthologyError('the template is a link to a file outside the templates folder; refused', { file });
  if (!statSync(file).isFile()) throw new AnthologyError('a template must be a regular file', { file });
}

function listPartials(overridesDir?: string): string[] {
  const names = new Set<string>();
  for (const dir of [join(BUILTIN_TEMPLATES, 'partials'), overridesDir && join(overridesDir, 'partials')]) {
    if (dir && existsSync(dir)) readdirSync(dir).filter((f) => f.endsWith('.hbs')).forEach((f) => names.add(f));
  }
  return [...names].sort();
}

