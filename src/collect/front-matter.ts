import { CORE_SCHEMA, load as loadYaml, YAMLException } from 'js-yaml';
import { AnthologyError } from '../errors.js';
import { lazyPackage } from '../lazy.js';
import type { ArticleMeta, PairOrder } from '../model.js';
import { LAYOUTS } from '../model.js';
import { authorNames } from './authors.js';

/**
 * Loaded on first use: only `+++` front matter needs it (5 ms). js-yaml is imported up front: YAML
 * front matter is the common case, and its ES module, one file, loads faster (by 16 ms, pairs on a
 * YAML article) than the 26 files of its CommonJS build, which is what `require` would load.
 */
const toml = lazyPackage<typeof import('smol-toml')>('smol-toml');

export interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
}

/**
 * Splits YAML (`---`) or TOML (`+++`) front matter from the body.
 * YAML is read with the core schema so dates stay strings with their UTC offset
 * (a default schema turns `2022-12-01T22:59:21+08:00` into a UTC Date and loses `+08:00`);
 * TOML dates come from smol-toml, whose toISOString keeps the original offset.
 */
export function splitFrontMatter(text: string, file: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const isToml = source.startsWith('+++');
  const block = delimitedBlock(source, isToml ? '+++' : '---');
  let data: unknown = {};
  if (block && !isBlank(block.matter)) {
    try {
      data = parseBlock(block.language || (isToml ? 'toml' : 'yaml'), block.matter);
    } catch (error) {
      throw frontMatterError(error, file, source);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new AnthologyError('front matter must be a table of keys and values', { file, line: 1 });
  }
  refuseExpansion(data as Record<string, unknown>, source, file);
  const body = block ? block.body : source;
  const bodyLine = countLines(source.slice(0, source.length - body.length)) + 1;
  return { data: structuredClone(data) as Record<string, unknown>, body, bodyLine };
}

/**
 * The front matter between an opening `delimiter` at the very start and the next line that starts
 * with it, split as gray-matter 4 split it (we used it for this alone, and importing it took 45 ms
 * of every start-up: README, Dependencies):
 * - `----` (the delimiter and one more of its character) opens no front matter;
 * - text after the opening delimiter on its line names the language (`---yaml`, `+++toml`);
 * - `matter` starts at that line's end (after the delimiter when no language is named), so its
 *   line n is line n of the file: parser errors need no offset;
 * - the closing line is the first one that starts with the delimiter, even `---x`: the body
 *   starts after the delimiter (`x`), less one CR and one LF;
 * - without a closing line everything after the opening line is front matter, and the body is empty.
 * Where gray-matter's result was an accident it is not copied: it also dropped a second BOM, read
 * `+++---x` as `+++x`, and took all but the last character of a file of one line as the language.
 */
function delimitedBlock(
  source: string,
  delimiter: string,
): { language: string; matter: string; body: string } | undefined {
  if (!source.startsWith(delimiter) || source[delimiter.length] === delimiter.at(-1)) return undefined;
  const rest = source.slice(delimiter.length);
  const lineEnd = rest.search(/\r?\n|$/);
  const language = rest.slice(0, lineEnd).trim();
  const start = language ? lineEnd : 0;
  const close = rest.indexOf(`\n${delimiter}`, start);
  if (close === -1) return { language, matter: rest.slice(start), body: '' };
  const body = rest
    .slice(close + 1 + delimiter.length)
    .replace(/^\r/, '')
    .replace(/^\n/, '');
  return { language, matter: rest.slice(start, close), body };
}

/** Only blank lines and comments: no data, whatever the language (as in gray-matter). */
function isBlank(matter: string): boolean {
  return matter.replace(/^\s*#[^\n]+/gm, '').trim() === '';
}

/** The languages gray-matter knew by these names (`js`, which it ran with eval, is refused). */
function parseBlock(language: string, matter: string): unknown {
  switch (/^ya?ml$/i.test(language) ? 'yaml' : language) {
    case 'yaml':
      return loadYaml(matter, { schema: CORE_SCHEMA }) ?? {};
    case 'toml':
      return datesAsText(toml().parse(matter));
    case 'json':
      return JSON.parse(matter);
    default:
      throw new Error(
        `"${language.slice(0, 40)}" after the opening delimiter is not a front matter language (yaml, toml or json)`,
      );
  }
}

/**
 * Values a front matter may hold once its YAML aliases are expanded. js-yaml (3 and 4) shares an
 * aliased value instead of copying it, so ten anchors each a list of ten of the previous load at
 * once, but anything that walks or prints the value (`String(layout)`) meets 10^10 of them: 49 s,
 * 2.9 GB, then a crash. js-yaml has no alias limit (the `yaml` package's maxAliasCount); counting the
 * expanded values, and stopping at the limit, costs at most the limit.
 */
const MAX_FRONT_MATTER_VALUES = 100_000;

function refuseExpansion(data: Record<string, unknown>, source: string, file: string): void {
  let budget = MAX_FRONT_MATTER_VALUES;
  const count = (value: unknown): boolean => {
    if (--budget < 0) return false;
    if (Array.isArray(value)) return value.every(count);
    if (value && typeof value === 'object') return Object.values(value).every(count);
    return true;
  };
  for (const [key, value] of Object.entries(data)) {
    if (count(value)) continue;
    const at = source.split('\n').findIndex((l) => l.startsWith(`${key}:`) || l.startsWith(`${key} `));
    throw new AnthologyError(
      `front matter "${key}" expands to more than ${MAX_FRONT_MATTER_VALUES.toLocaleString('en')} values (YAML aliases?); refused`,
      { file, line: at === -1 ? 1 : at + 1 },
    );
  }
}

/** TOML dates as the text they were written in (smol-toml's toISOString keeps the offset). */
function datesAsText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.000(?=Z|[+-]\d\d:\d\d|$)/, '');
  if (Array.isArray(value)) return value.map(datesAsText);
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesAsText(v)]));
  return value;
}

function countLines(text: string): number {
  return (text.match(/\n/g) ?? []).length;
}

function frontMatterError(error: unknown, file: string, source: string): AnthologyError {
  // Lines inside the front matter are offset by the opening delimiter line.
  if (error instanceof YAMLException) {
    const { mark, reason } = error as unknown as { mark?: { line: number }; reason?: string };
    // js-yaml finds an unclosed quote at the end of the front matter; the user needs where it opened.
    const quote = /within a (double|single) quoted scalar/.exec(reason ?? '');
    const opened = quote ? unclosedQuoteLine(source) : undefined;
    if (opened)
      return new AnthologyError(
        `front matter is not valid YAML: this ${quote![1]}-quoted string is never closed`,
        { file, line: opened },
      );
    return new AnthologyError(`front matter is not valid YAML: ${reason ?? error.message}`, {
      file,
      line: mark ? mark.line + 1 : undefined,
    });
  }
  if (error instanceof toml().TomlError) {
    return new AnthologyError(
      `front matter is not valid TOML: ${error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}`,
      { file, line: error.line },
    );
  }
  return new AnthologyError(`front matter could not be read: ${(error as Error).message}`, { file, line: 1 });
}

/**
 * The 1-based line where a quoted YAML string opens and never closes, scanning the front matter
 * (from the line after `---` to the closing `---`) as YAML reads quotes: a quote opens only where
 * a value starts (after `key:`, `- `, `[`, `{` or `,`), `\\` escapes in double quotes, `''` in
 * single ones, and `#` after a space outside quotes starts a comment.
 */
function unclosedQuoteLine(source: string): number | undefined {
  const lines = source.split('\n');
  let open: { quote: string; line: number } | undefined;
  for (let n = 1; n < lines.length; n++) {
    const line = lines[n]!;
    if (!open && /^(---|\.\.\.)\s*$/.test(line)) break;
    let valueStart = true;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (open) {
        if (open.quote === '"' && c === '\\') i++;
        else if (c === open.quote && open.quote === "'" && line[i + 1] === "'") i++;
        else if (c === open.quote) open = undefined;
        continue;
      }
      if ((c === '"' || c === "'") && valueStart) {
        open = { quote: c, line: n + 1 };
        continue;
      }
      if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) break;
      if (c === ' ' || c === '\t') continue;
      valueStart = c === ':' || c === '-' || c === '[' || c === '{' || c === ',' || c === '?';
    }
  }
  return open?.line;
}

/** Maps both the Zola style (`extra.*`, `taxonomies.tags`) and flat keys onto ArticleMeta. */
export function articleMeta(data: Record<string, unknown>, fallbackTitle: string): ArticleMeta {
  const extra = asRecord(data.extra);
  const taxonomies = asRecord(data.taxonomies);
  const pick = (key: string) => text(data[key]) ?? text(extra[key]);
  const authors = authorNames(authorText(data.author ?? extra.author ?? data.authors ?? extra.authors));
  return {
    title: text(data.title) ?? pick('original_title') ?? fallbackTitle,
    originalTitle: pick('original_title'),
    author: authors.length
      ? authors.join(authors.some((name) => /[A-Za-z]/.test(name)) ? ', ' : '、')
      : undefined,
    authors,
    source: pick('source'),
    hostname: pick('hostname'),
    date: dateText(data.date) ?? dateText(extra.date),
    tags: stringList(data.tags ?? taxonomies.tags ?? extra.tags),
    lang: pick('lang') ?? pick('original_lang'),
    layout: oneOf(pick('layout'), LAYOUTS),
    order: oneOf(pick('order'), ['original-first', 'translation-first'] as const) as PairOrder | undefined,
    draft: data.draft === true || extra.draft === true,
  };
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function authorText(value: unknown): string | undefined {
  if (Array.isArray(value))
    return text(
      value
        .map((v) => text(v))
        .filter(Boolean)
        .join(', '),
    );
  return text(value);
}

function dateText(value: unknown): string | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return text(value);
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.trim() ? [value.trim()] : [];
  if (!Array.isArray(value)) return [];
  return value.map((v) => text(v)).filter((v): v is string => v !== undefined);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[]): T | undefined {
  return allowed.includes(value as T) ? (value as T) : undefined;
}
