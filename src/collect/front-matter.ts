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
  /** True when the front matter had no opening delimiter, only its closing one (read all the same). */
  unopened?: boolean;
}

/**
 * Splits YAML (`---`) or TOML (`+++`) front matter from the body.
 * YAML is read with the core schema so dates stay strings with their UTC offset
 * (a default schema turns `2022-12-01T22:59:21+08:00` into a UTC Date and loses `+08:00`);
 * TOML dates come from smol-toml, whose toISOString keeps the original offset.
 */
export function splitFrontMatter(text: string, file: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const opened = delimitedBlock(source, source.startsWith('+++') ? '+++' : '---');
  const unopened = opened ? undefined : unopenedBlock(source);
  const block = opened ?? unopened;
  const isToml = source.startsWith('+++') || unopened?.language === 'toml';
  let data: unknown = {};
  if (block && !isBlank(block.matter)) {
    try {
      data = parseBlock(block.language || (isToml ? 'toml' : 'yaml'), block.matter);
    } catch (error) {
      throw frontMatterError(error, file, source, unopened ? 0 : 1);
    }
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new AnthologyError('front matter must be a table of keys and values', { file, line: 1 });
  }
  refuseExpansion(data as Record<string, unknown>, source, file);
  const body = block ? block.body : source;
  const bodyLine = countLines(source.slice(0, source.length - body.length)) + 1;
  return {
    data: structuredClone(data) as Record<string, unknown>,
    body,
    bodyLine,
    ...(unopened ? { unopened: true } : {}),
  };
}

/** Keys of a front matter: a file whose first line sets one of them starts with its front matter. */
const FRONT_MATTER_KEYS =
  /^(title|date|author|authors|extra|tags|taxonomies|layout|order|lang|draft|source|original_title|description|slug|weight)\s*[:=]/;
/** A line of front matter: a key, a continuation (indented, or an item of a list), a comment or nothing. */
const FRONT_MATTER_LINE = /^([A-Za-z_][\w.-]*\s*[:=]|[\s#-]|$)/;

/**
 * A front matter whose opening delimiter is missing: the file starts with one of the keys a front
 * matter sets (`title:`), every line up to a line `---` (or `+++`) reads as front matter, and that
 * line comes within the first 60. Without this, the front matter became the article's first
 * paragraph (a `title: …` heading, as `---` under a line makes a heading) without a word.
 */
function unopenedBlock(source: string): { language: string; matter: string; body: string } | undefined {
  if (!FRONT_MATTER_KEYS.test(source)) return undefined;
  const lines = source.split('\n', 61);
  const close = lines.findIndex((line) => /^(---|\+\+\+)\s*$/.test(line));
  if (close < 1 || !lines.slice(0, close).every((line) => FRONT_MATTER_LINE.test(line))) return undefined;
  const matter = lines.slice(0, close).join('\n');
  const body = source
    .slice(matter.length + 1 + lines[close]!.length)
    .replace(/^\r/, '')
    .replace(/^\n/, '');
  return { language: lines[close]!.startsWith('+') ? 'toml' : 'yaml', matter, body };
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

/** `firstLine`: the 0-based line of the file the front matter's keys start on (1 after an opening delimiter). */
function frontMatterError(error: unknown, file: string, source: string, firstLine: number): AnthologyError {
  // A parser's line n of the front matter is line n of the file: the matter starts on the opening
  // delimiter's line, after the delimiter (or on the first line, without one).
  if (error instanceof YAMLException) {
    const { mark, reason } = error as unknown as { mark?: { line: number }; reason?: string };
    // js-yaml finds an unclosed quote at the end of the front matter, or where a later quote
    // closed it (`tags: ["`) and the rest no longer parses; the user needs where it opened.
    const quote = /within a (double|single) quoted scalar/.test(reason ?? '');
    const opened = unclosedQuote(source, firstLine);
    if (opened && (quote || opened.nextKey !== undefined))
      return new AnthologyError(
        quote || opened.nextKey === undefined
          ? `front matter is not valid YAML: this ${opened.kind}-quoted string is never closed`
          : `front matter is not valid YAML: this ${opened.kind}-quoted string is not closed on its line (line ${opened.nextKey}, "${source.split('\n')[opened.nextKey - 1]!.trim().slice(0, 30)}", is read as part of it)`,
        { file, line: opened.line },
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
 * A quoted YAML string that is not closed on the line where it opens (1-based): one never closed,
 * or one that runs on into a line that reads as the next key (`nextKey`, `author: …`), which YAML
 * allows (a quoted string may span lines) but no front matter means. Scans the front matter (from
 * the line after `---` to the closing `---`) as YAML reads quotes: a quote opens only where a value
 * starts (after `key:`, `- `, `[`, `{` or `,`), `\\` escapes in double quotes, `''` in single ones,
 * and `#` after a space outside quotes starts a comment.
 */
function unclosedQuote(
  source: string,
  firstLine: number,
): { kind: 'double' | 'single'; line: number; nextKey?: number } | undefined {
  const lines = source.split('\n');
  let open: { quote: string; line: number } | undefined;
  const kind = (quote: string) => (quote === '"' ? 'double' : 'single');
  for (let n = firstLine; n < lines.length; n++) {
    const line = lines[n]!;
    if (open && /^\s*[A-Za-z_][\w.-]*\s*:(\s|$)/.test(line))
      return { kind: kind(open.quote), line: open.line, nextKey: n + 1 };
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
  return open && { kind: kind(open.quote), line: open.line };
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
