import matter from 'gray-matter';
import yaml from 'js-yaml';
import { parse as parseToml, TomlError } from 'smol-toml';
import { AnthologyError } from '../errors.js';
import type { ArticleMeta, LayoutName, PairOrder } from '../model.js';
import { LAYOUTS } from '../model.js';
import { authorNames } from './authors.js';

export interface FrontMatter {
  data: Record<string, unknown>;
  body: string;
  /** 1-based line of the body's first line in the file. */
  bodyLine: number;
}

/**
 * Splits YAML (`---`) or TOML (`+++`) front matter from the body.
 * YAML is read with the core schema so dates stay strings with their UTC offset
 * (gray-matter's default turns `2022-12-01T22:59:21+08:00` into a UTC Date and loses `+08:00`);
 * TOML dates come from smol-toml, whose toISOString keeps the original offset.
 */
export function splitFrontMatter(text: string, file: string): FrontMatter {
  const source = text.replace(/^\uFEFF/, '');
  const isToml = source.startsWith('+++');
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object per call also keeps gray-matter from answering from its cache.
    parsed = matter(source, {
      language: isToml ? 'toml' : 'yaml',
      delimiters: isToml ? '+++' : '---',
      engines: {
        yaml: (s: string) => (yaml.load(s, { schema: yaml.CORE_SCHEMA }) ?? {}) as object,
        toml: (s: string) => datesAsText(parseToml(s)) as object,
      },
    });
  } catch (error) {
    throw frontMatterError(error, file);
  }
  const data = parsed.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new AnthologyError('front matter must be a table of keys and values', { file, line: 1 });
  }
  const bodyLine = countLines(source.slice(0, source.length - parsed.content.length)) + 1;
  return { data: structuredClone(data) as Record<string, unknown>, body: parsed.content, bodyLine };
}

/** TOML dates as the text they were written in (smol-toml's toISOString keeps the offset). */
function datesAsText(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace(/\.000(?=Z|[+-]\d\d:\d\d|$)/, '');
  if (Array.isArray(value)) return value.map(datesAsText);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, datesAsText(v)]));
  return value;
}

function countLines(text: string): number {
  return (text.match(/\n/g) ?? []).length;
}

function frontMatterError(error: unknown, file: string): AnthologyError {
  // Lines inside the front matter are offset by the opening delimiter line.
  if (error instanceof TomlError) {
    return new AnthologyError(`front matter is not valid TOML: ${error.message.split('\n')[0]!.replace(/^Invalid TOML document: /, '')}`, { file, line: error.line });
  }
  if (error instanceof yaml.YAMLException) {
    const { mark, reason } = error as unknown as { mark?: { line: number }; reason?: string };
    return new AnthologyError(`front matter is not valid YAML: ${reason ?? error.message}`, { file, line: mark ? mark.line + 1 : undefined });
  }
  return new AnthologyError(`front matter could not be read: ${(error as Error).message}`, { file, line: 1 });
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
    author: authors.length ? authors.join(authors.some((name) => /[A-Za-z]/.test(name)) ? ', ' : '、') : undefined,
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
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function authorText(value: unknown): string | undefined {
  if (Array.isArray(value)) return text(value.map((v) => text(v)).filter(Boolean).join(', '));
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

export type { LayoutName };
