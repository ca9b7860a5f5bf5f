import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import type Handlebars from 'handlebars';
import { AnthologyError } from '../errors.js';
import { isInside, packageRoot, realpathOr } from '../fs/paths.js';
import { escapeAttr } from '../markdown/xhtml.js';
import { formatDate, type StringKey, stringsFor } from './strings.js';

/** The folders that ship with anthology. */
const BUILTIN_TEMPLATES = join(packageRoot(), 'templates');
export const BUILTIN_STYLES = join(packageRoot(), 'styles');

const TEMPLATE_NAMES = [
  'title-page',
  'contents',
  'chapter',
  'article',
  'epub-page',
  'epub-cover',
  'cover',
  'print-book',
  'print-contents',
  'print-colophon',
] as const;
type TemplateName = (typeof TEMPLATE_NAMES)[number];

export interface Templates {
  render(name: TemplateName, data: object): string;
}

const require = createRequire(import.meta.url);

/** How templates are compiled: here, and by scripts/precompile-templates.mjs (the same options). */
const COMPILE_OPTIONS = { strict: false, preventIndent: true } as const;

/**
 * The built-in templates compiled when anthology was built (scripts/precompile-templates.mjs), by
 * file (`article.hbs`, `partials/x.hbs`), each with the hash of the text it was compiled from.
 * Absent when anthology runs from its sources (the tests): its templates are compiled then.
 */
type Precompiled = Record<string, { hash: string; spec: TemplateSpecification }>;
type TemplateSpecification = Parameters<typeof Handlebars.template>[0];

let precompiledValue: Precompiled | null | undefined;
function precompiled(): Precompiled | null {
  if (precompiledValue !== undefined) return precompiledValue;
  try {
    precompiledValue = require('./builtin-templates.cjs') as Precompiled;
  } catch {
    precompiledValue = null;
  }
  return precompiledValue;
}

/**
 * The templates, each replaced by a file of the same name in the book's own templates folder when
 * there is one (`templates/article.hbs`, `templates/partials/*.hbs`). The built-in ones come
 * compiled (precompiled above) when their text is the one compiled; with nothing to compile,
 * only Handlebars' runtime is loaded, not its compiler.
 */
export function loadTemplates(language: string, overridesDir?: string): Templates {
  const source = (relPath: string) => {
    const override = overridesDir ? join(overridesDir, relPath) : undefined;
    const file = override && existsSync(override) ? override : join(BUILTIN_TEMPLATES, relPath);
    if (file === override) confineOverride(file, overridesDir!);
    const text = readFileSync(file, 'utf8');
    const built = file === override ? undefined : precompiled()?.[relPath];
    // the compiled code of a built-in template, while it is that of the file's text
    const spec =
      built && built.hash === createHash('sha256').update(text).digest('hex') ? built.spec : undefined;
    return { relPath, text, file, spec };
  };
  const partials = listPartials(overridesDir).map((partial) => source(`partials/${partial}`));
  const templates = TEMPLATE_NAMES.map((name) => ({ name, ...source(`${name}.hbs`) }));
  const allCompiled = [...partials, ...templates].every((t) => t.spec);
  const hbs: typeof Handlebars = (
    allCompiled ? require('handlebars/runtime') : require('handlebars')
  ).create();
  const strings = stringsFor(language);
  hbs.registerHelper('t', (key: StringKey) => strings[key] ?? key);
  hbs.registerHelper('formatDate', (value: unknown) =>
    typeof value === 'string' ? formatDate(value, language) : '',
  );
  hbs.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  // A URL in an attribute, escaped as XML wants it (Handlebars' own escaping also turns `=` and a
  // backtick into character references, which a URL does not need).
  hbs.registerHelper(
    'url',
    (value: unknown) => new hbs.SafeString(typeof value === 'string' ? escapeAttr(value) : ''),
  );

  const delegate = (t: ReturnType<typeof source>): Handlebars.TemplateDelegate => {
    if (t.spec) return hbs.template(t.spec);
    // Parsing here turns a syntax error into a message naming the file (Handlebars compiles on
    // first use, mid-build). Only parsing: a build then compiles only the templates it uses. With
    // our options, partials too: one registered as text and called from a precompiled template
    // would be compiled with Handlebars' defaults (nested partials indented).
    compileChecked(() => hbs.parse(t.text), t.file);
    return hbs.compile(t.text, COMPILE_OPTIONS);
  };
  for (const partial of partials) hbs.registerPartial(basename(partial.relPath, '.hbs'), delegate(partial));
  const compiled = new Map<TemplateName, Handlebars.TemplateDelegate>(
    templates.map((t) => [t.name, delegate(t)]),
  );
  const files = new Map<TemplateName, string>(templates.map((t) => [t.name, t.file]));
  const partialFiles = partials.map((partial) => partial.file);
  return {
    render(name, data) {
      try {
        return compiled.get(name)!(data);
      } catch (error) {
        // An unknown helper or partial is only found when the template runs (Handlebars'
        // own errors); an error thrown by one of our helpers is a bug and goes on.
        if (!(error instanceof hbs.Exception)) throw error;
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
  if (!isInside(realpathOr(file), realpathOr(overridesDir)))
    throw new AnthologyError('the template is a link to a file outside the templates folder; refused', {
      file,
    });
  if (!statSync(file).isFile()) throw new AnthologyError('a template must be a regular file', { file });
}

function compileChecked(compile: () => unknown, file: string): void {
  try {
    compile();
  } catch (error) {
    const line =
      (error as { lineNumber?: number }).lineNumber ?? /on line (\d+)/.exec((error as Error).message)?.[1];
    throw new AnthologyError(`template error: ${firstLine(error)}`, {
      file,
      line: line ? Number(line) : undefined,
    });
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
  return got
    ? `${lines[0]!.replace(/:$/, '')}: unexpected ${got[1] === 'EOF' ? 'end of file (a block is not closed?)' : got[1]}`
    : lines[0]!.replace(/:$/, '');
};

function listPartials(overridesDir?: string): string[] {
  const names = new Set<string>();
  for (const dir of [join(BUILTIN_TEMPLATES, 'partials'), overridesDir && join(overridesDir, 'partials')]) {
    if (dir && existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.hbs')) names.add(f);
  }
  return [...names].sort();
}
