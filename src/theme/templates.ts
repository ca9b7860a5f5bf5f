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
  const partialFiles: string[] = [];
  for (const partial of listPartials(overridesDir)) {
    const { text, file } = source(`partials/${partial}`);
    // Handlebars compiles a partial on first use, mid-build: a syntax error is found here instead.
    compileChecked(() => hbs.parse(text), file);
    hbs.registerPartial(basename(partial, '.hbs'), text);
    partialFiles.push(file);
  }
  const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>();
  const files = new Map<TemplateName, string>();
  for (const name of TEMPLATE_NAMES) {
    const { text, file } = source(`${name}.hbs`);
    // Parsing here turns a template syntax error into a message naming the file. Only parsing:
    // `compile` compiles a template when it first runs, so a build compiles only those it uses
    // (precompiling all ten took 80 ms of every build).
    compileChecked(() => hbs.parse(text), file);
    compiled.set(name, hbs.compile(text, { strict: false, preventIndent: true }));
    files.set(name, file);
  }
  return {
    render(name, data) {
      try {
        return compiled.get(name)!(data);
      } catch (error) {
        // An unknown helper or partial is only found when the template runs (Handlebars'
        // own errors); an error thrown by one of our helpers is a bug and goes on.
        if (!(error instanceof Handlebars.Exception)) throw error;
        const where = usedIn(error.message, [files.get(name)!, ...partialFiles]) ?? { file: files.get(name) };
        throw new AnthologyError(`template error: ${firstLine(error)}`, where);
      }
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

function compileChecked(compile: () => unknown, file: string): void {
  try {
    compile();
  } catch (error) {
    const line = (error as { lineNumber?: number }).lineNumber ?? /on line (\d+)/.exec((error as Error).message)?.[1];
    throw new AnthologyError(`template error: ${firstLine(error)}`, { file, line: line ? Number(line) : undefined });
  }
}

/**
 * The file and line that use the helper or partial Handlebars could not find: the template
 * being rendered or one of its partials (Handlebars' error names neither).
 */
function usedIn(message: string, files: string[]): { file: string; line: number } | undefined {
  const name = /Missing helper: "([^"]+)"|The partial (\S+) could not be found/.exec(message);
  if (!name) return undefined;
  const use = name[1] ? `{{[#^]?\\s*${escapeRegExp(name[1])}\\b` : `{{#?>\\s*${escapeRegExp(name[2]!)}\\b`;
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').split('\n');
    const at = lines.findIndex((l) => new RegExp(use).test(l));
    if (at !== -1) return { file, line: at + 1 };
  }
  return undefined;
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Handlebars' message, its first line; a parse error's last line says what it met. */
const firstLine = (error: unknown) => {
  const lines = (error instanceof Error ? error.message : String(error)).split('\n');
  const got = /got '([^']+)'/.exec(lines.at(-1) ?? '');
  return got ? `${lines[0]!.replace(/:$/, '')}: unexpected ${got[1] === 'EOF' ? 'end of file (a block is not closed?)' : got[1]}` : lines[0]!.replace(/:$/, '');
};

function listPartials(overridesDir?: string): string[] {
  const names = new Set<string>();
  for (const dir of [join(BUILTIN_TEMPLATES, 'partials'), overridesDir && join(overridesDir, 'partials')]) {
    if (dir && existsSync(dir)) readdirSync(dir).filter((f) => f.endsWith('.hbs')).forEach((f) => names.add(f));
  }
  return [...names].sort();
}

