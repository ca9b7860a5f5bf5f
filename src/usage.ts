/**
 * The command line's grammar: each command with its options, the help that lists them, and the
 * parsing that checks them. Pure (cli.ts prints and exits): what is wrong becomes a UsageError of
 * one line that names the mistake and, when one is near, what was meant (`--formt`: `--format`).
 */
import { parseArgs } from 'node:util';
import { LAYOUTS } from './model.js';
import { closest, didYouMean } from './suggest.js';

/** A wrong command line: cli.ts prints its message and exits with 2. */
export class UsageError extends Error {}

interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** The value's placeholder in the help (`DIR`). */
  value?: string;
  help: string;
}

export interface CommandSpec {
  name: string;
  /** Other names that run it: the ones users of mdBook and Zola type. */
  aliases?: string[];
  /** What follows the command in the usage line. */
  args: string;
  /** The most positional arguments it takes, and the fewest. */
  positionals: [min: number, max: number];
  summary: string;
  /** More about the command, under its usage line. */
  about?: string;
  options: Record<string, OptionSpec>;
}

const content: OptionSpec = {
  type: 'string',
  value: 'DIR',
  help: 'folder of articles (default: BOOK_DIR/content, or [content] folder in book.toml)',
};
const layout: OptionSpec = {
  type: 'string',
  value: 'NAME',
  help: `${LAYOUTS.join(', ')}; wins over book.toml and front matter`,
};
const order: OptionSpec = { type: 'string', value: 'ORDER', help: 'original-first or translation-first' };
const report: OptionSpec = {
  type: 'string',
  value: 'FILE',
  help: 'write every diagnostic (code, file, line, message) to FILE as JSON',
};
const strict: OptionSpec = { type: 'boolean', help: 'exit with 1 when there is any warning (for CI)' };
const verbose: OptionSpec = {
  type: 'boolean',
  help: 'list every warning (default: the first ten and a count by code)',
};
const quiet: OptionSpec = { type: 'boolean', help: 'print nothing but errors' };
const help: OptionSpec = { type: 'boolean', short: 'h', help: 'show this help' };
/** Every command takes it: an internal error then shows where it happened. */
const stack: OptionSpec = { type: 'boolean', help: 'on an internal error, also print where it happened' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'build',
    args: '[BOOK_DIR] [options]',
    positionals: [0, 1],
    summary: 'build the book in BOOK_DIR (default: .)',
    options: {
      content,
      out: { type: 'string', short: 'o', value: 'DIR', help: 'output folder (default: BOOK_DIR/dist)' },
      format: {
        type: 'string',
        short: 'f',
        multiple: true,
        value: 'FORMAT',
        help: 'epub, kepub (the EPUB for Kobo), pdf, html (the print HTML, to preview the PDF) or all (default: all = epub and pdf); repeat or separate with commas',
      },
      layout,
      order,
      report,
      strict,
      verbose,
      quiet,
      watch: { type: 'boolean', help: 'build again whenever the book changes; Ctrl-C stops' },
      help,
    },
  },
  {
    name: 'check',
    args: '[BOOK_DIR] [options]',
    positionals: [0, 1],
    summary: 'read and pair the whole book, say what is wrong; write nothing',
    about:
      'What a build says about the articles (pairing, front matter, images, links, notes), without\nwriting the EPUB or the PDF; what only a format notices (a glyph no font has) needs the build.',
    options: { content, report, strict, verbose, quiet, help },
  },
  {
    name: 'pairs',
    args: 'FILE [--json]',
    positionals: [1, 1],
    summary: "show how an article's originals and translations pair up",
    options: {
      json: { type: 'boolean', help: 'print it as JSON (its shape is in the README)' },
      content: {
        type: 'string',
        value: 'DIR',
        help: "the content folder the article's images resolve against (default: the file's folder)",
      },
      verbose: stack,
      help,
    },
  },
  {
    name: 'preview',
    aliases: ['serve'],
    args: '[BOOK_DIR] [options]',
    positionals: [0, 1],
    summary: 'the book in your browser, updated as you edit',
    options: {
      port: {
        type: 'string',
        short: 'p',
        value: 'N',
        help: 'the port on 127.0.0.1 (default: a free one, printed)',
      },
      open: { type: 'boolean', help: "open the preview in the system's browser" },
      content,
      layout,
      order,
      quiet,
      verbose: stack,
      help,
    },
  },
  {
    name: 'new',
    aliases: ['init'],
    args: '[DIR] [--title TITLE]',
    positionals: [0, 1],
    summary: 'start a book in DIR (default: .): book.toml, a sample article, .gitignore',
    about: 'DIR must not exist, or be empty; no file is ever overwritten.',
    options: {
      title: { type: 'string', value: 'TITLE', help: "the book's title (default: the folder's name)" },
      verbose: stack,
      help,
    },
  },
];

const ENVIRONMENT = `Environment:
  ANTHOLOGY_CHROMIUM   path of the Chromium or Chrome used to print the PDF (found automatically)
  ANTHOLOGY_CACHE_DIR  where the build cache lives (images, fonts and parsed articles kept between builds)
  SOURCE_DATE_EPOCH    fixes the EPUB's modification date (reproducible builds)
`;

/** `anthology --help`: every command, then where to read more. */
export function generalHelp(): string {
  const rows: [string, string][] = [
    ...COMMANDS.map((c): [string, string] => [`anthology ${c.name} ${c.args}`, c.summary]),
    ['anthology help COMMAND', 'the options of a command (or: anthology COMMAND --help)'],
    ['anthology -h, --help', 'this help'],
    ['anthology -V, --version', 'the version'],
  ];
  const aliases = COMMANDS.flatMap((c) => (c.aliases ?? []).map((a) => `${a} (${c.name})`));
  return `anthology: bilingual Markdown articles in, an EPUB and a print-ready PDF out

Usage:
${table(rows, 40)}

Also known as: ${aliases.join(', ')}, as in mdBook and Zola.

${ENVIRONMENT}`;
}

/** Rows of a term and its meaning, the meanings wrapped to 100 columns beside the terms. */
function table(rows: [string, string][], width: number): string {
  return rows
    .map(([term, meaning]) => {
      const lines: string[] = [];
      let line = '';
      for (const word of meaning.split(' ')) {
        if (line && width + 3 + line.length + 1 + word.length > 100) {
          lines.push(line);
          line = word;
        } else line = line ? `${line} ${word}` : word;
      }
      lines.push(line);
      return lines.map((text, i) => `  ${(i === 0 ? term : '').padEnd(width)} ${text}`).join('\n');
    })
    .join('\n');
}

/** `anthology build --help`: the command's usage and each of its options. */
export function commandHelp(command: CommandSpec): string {
  const rows = Object.entries(command.options).map(([name, option]): [string, string] => [
    `${option.short ? `-${option.short}, ` : '    '}--${name}${option.value ? ` ${option.value}` : ''}`,
    option.help,
  ]);
  const aliases = command.aliases
    ? `\nAlso: ${command.aliases.map((a) => `anthology ${a}`).join(', ')}\n`
    : '';
  return `anthology ${command.name}: ${command.summary}

Usage: anthology ${command.name} ${command.args}
${command.about ? `\n${command.about}\n` : ''}${aliases}
Options:
${table(rows, 20)}

${ENVIRONMENT}`;
}

/** The command a name (or an alias) runs; a UsageError with the nearest name when there is none. */
export function findCommand(name: string): CommandSpec {
  const found = COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
  if (found) return found;
  const names = COMMANDS.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  if (name.startsWith('-'))
    throw new UsageError(
      `unknown option ${name}${didYouMean(name, ['--help', '--version'], '')}; see anthology --help`,
    );
  throw new UsageError(
    `unknown command "${name}"${didYouMean(name, [...names, 'help'])}; see anthology --help`,
  );
}

export type ParsedValues = Record<string, string | boolean | string[] | undefined>;

/**
 * The command's arguments, checked: unknown options (with the nearest known one), a value missing
 * or given to a flag, too many or too few positionals. Options may come before or after BOOK_DIR.
 */
export function parseCommand(
  command: CommandSpec,
  args: string[],
): { values: ParsedValues; positionals: string[] } {
  const options = Object.fromEntries(
    Object.entries(command.options).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  );
  // strict: false, so that every mistake is ours to word; the tokens say what each argument was
  const { values, positionals, tokens } = parseArgs({
    args,
    options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  const see = `see anthology ${command.name} --help`;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    const spec = command.options[token.name];
    if (!spec) {
      const long = Object.keys(command.options).map((name) => `--${name}`);
      // `-q`: the one long option of that letter (`--quiet`); a letter is too short to compare
      const sameLetter = long.filter((name) => name[2] === token.rawName[1]);
      const guess = token.rawName.startsWith('--')
        ? closest(token.rawName, long)
        : sameLetter.length === 1
          ? sameLetter[0]
          : undefined;
      throw new UsageError(
        `unknown option ${token.rawName} for ${command.name}${guess ? ` (did you mean ${guess}?)` : ''}; ${see}`,
      );
    }
    if (spec.type === 'string' && token.value === undefined)
      throw new UsageError(`${token.rawName} needs a value (${token.rawName} ${spec.value}); ${see}`);
    if (spec.type === 'boolean' && token.inlineValue)
      throw new UsageError(`${token.rawName} takes no value; ${see}`);
  }
  const [min, max] = command.positionals;
  if (positionals.length > max || positionals.length < min) {
    const what = command.args.split(' ')[0]!.replace(/[[\]]/g, '');
    throw new UsageError(
      positionals.length > max
        ? `${command.name} takes ${max === 1 ? `one ${what}` : 'no argument'}, got ${positionals.length}: ${positionals.map((p) => JSON.stringify(p)).join(' ')}; ${see}`
        : `${command.name} needs ${what}; ${see}`,
    );
  }
  return { values: values as ParsedValues, positionals };
}

/** Refuses options that contradict each other (`--quiet --verbose`). */
export function refuseTogether(values: ParsedValues, ...names: string[]): void {
  const given = names.filter((name) => values[name] !== undefined && values[name] !== false);
  if (given.length > 1)
    throw new UsageError(`${given.map((n) => `--${n}`).join(' and ')} cannot be used together`);
}
