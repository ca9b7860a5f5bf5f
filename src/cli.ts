#!/usr/bin/env node
/**
 * The command line: arguments in, calls to the API, messages out. The only module that prints
 * for the user and sets the exit code. A user error (AnthologyError) prints one clear message
 * without a stack trace and exits 1; a usage error exits 2.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { build, type BuildEvent } from './build.js';
import { cleanUpNow } from './cleanup.js';
import { describeArticle, formatPairsHuman } from './bilingual/report.js';
import { readArticleSource } from './collect/index.js';
import { OUTPUT_FORMATS, type OutputFormat } from './config/index.js';
import { AnthologyError, formatLocation } from './errors.js';
import { writeFileAtomically } from './formats/atomic.js';
import { LAYOUTS, type Diagnostic, type LayoutName, type PairOrder } from './model.js';

const HELP = `anthology: bilingual Markdown articles in, an EPUB and a print-ready PDF out

Usage:
  anthology build [BOOK_DIR] [options]   build the book in BOOK_DIR (default: .)
  anthology pairs FILE [--json]          show how an article's originals and translations pair up
  anthology --help | --version

Build options:
  --content DIR     folder of articles (default: BOOK_DIR/content, or [content] folder in book.toml)
  --out DIR         output folder (default: BOOK_DIR/dist)
  --format FORMAT   epub, pdf, html (the print HTML, to preview the PDF) or all (default: all =
                    epub and pdf); repeat or separate with commas for several
  --layout NAME     ${LAYOUTS.join(', ')}; overrides book.toml and front matter
  --order ORDER     original-first or translation-first
  --report FILE     write every diagnostic (code, file, line, message) to FILE as JSON
  --verbose         list every warning (default: the first ten and a count by code)
  --quiet           print nothing but errors

Environment:
  ANTHOLOGY_CHROMIUM   path of the Chromium or Chrome used to print the PDF (found automatically)
  SOURCE_DATE_EPOCH    fixes the EPUB's modification date (reproducible builds)
`;

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  if (command === '--version' || command === '-v') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  try {
    if (command === 'build') return await buildCommand(rest);
    if (command === 'pairs') return pairsCommand(rest);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`anthology: ${(error as Error).message}\nRun "anthology --help" for usage.\n`);
      return 2;
    }
    if (error instanceof AnthologyError) {
      process.stderr.write(`error: ${formatLocation(error.file && displayPath(error.file), error.line)}${error.detail}\n`);
      return 1;
    }
    process.stderr.write(`anthology: internal error (please report it): ${(error as Error).stack ?? String(error)}\n`);
    return 70;
  }
}

async function buildCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      content: { type: 'string' },
      out: { type: 'string' },
      format: { type: 'string', multiple: true },
      layout: { type: 'string' },
      order: { type: 'string' },
      report: { type: 'string' },
      verbose: { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`build takes one BOOK_DIR, got ${positionals.length}`);
  const formats = (values.format ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase());
  for (const f of formats) {
    if (f !== 'all' && !OUTPUT_FORMATS.includes(f as OutputFormat)) throw new UsageError(`unknown format "${f}" (use epub, pdf, html or all)`);
  }
  if (values.layout && !LAYOUTS.includes(values.layout as LayoutName)) throw new UsageError(`unknown layout "${values.layout}" (use ${LAYOUTS.join(', ')})`);
  if (values.order && !['original-first', 'translation-first'].includes(values.order)) throw new UsageError(`unknown order "${values.order}" (use original-first or translation-first)`);

  const progress = values.quiet ? undefined : progressPrinter();
  const result = await build({
    bookDir: positionals[0],
    content: values.content,
    out: values.out,
    formats: formats as (OutputFormat | 'all')[],
    layout: values.layout as LayoutName | undefined,
    order: values.order as PairOrder | undefined,
    onEvent: progress,
  });
  progress?.({ type: 'stage', message: '' });
  if (values.report) await writeReport(values.report, result.bookDir, result.diagnostics);
  if (!values.quiet) printDiagnostics(result.diagnostics, result.bookDir, Boolean(values.verbose));
  return 0;
}

function pairsCommand(args: string[]): number {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: { json: { type: 'boolean' }, content: { type: 'string' } } });
  if (positionals.length !== 1) throw new UsageError('pairs takes one Markdown FILE');
  const file = resolve(positionals[0]!);
  let source;
  try {
    source = readArticleSource(file, values.content ? resolve(values.content) : dirname(file));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new AnthologyError(`file not found: ${positionals[0]}`);
    throw error;
  }
  const report = describeArticle(source, displayPath(file));
  // `anthology pairs FILE | head`: a reader that stops reading is not an error
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(formatPairsHuman(report, process.stdout.columns || 120));
  return 0;
}

/** One line per file written; on a terminal also a transient line for the current stage. */
function progressPrinter(): (event: BuildEvent) => void {
  const tty = process.stderr.isTTY;
  let transient = false;
  const clear = () => {
    if (transient) process.stderr.write('\r\x1b[2K');
    transient = false;
  };
  return (event) => {
    if (event.type === 'stage') {
      clear();
      if (tty && event.message) {
        process.stderr.write(`… ${event.message}`);
        transient = true;
      }
      return;
    }
    clear();
    const pages = event.pages ? `, ${event.pages} pages` : '';
    process.stdout.write(`wrote ${displayPath(event.file)} (${formatBytes(event.bytes)}${pages}) in ${(event.ms / 1000).toFixed(1)} s\n`);
  };
}

const SUMMARY_LIMIT = 10;

/** Warnings, each with its code: all with --verbose, else the first ten; then a count per code. */
function printDiagnostics(diagnostics: Diagnostic[], bookDir: string, verbose: boolean): void {
  const warnings = diagnostics.filter((d) => d.severity !== 'info');
  if (warnings.length === 0) return;
  const shown = verbose ? warnings : warnings.slice(0, SUMMARY_LIMIT);
  for (const d of shown) {
    const file = displayPath(isAbsolute(d.file) ? d.file : resolve(bookDir, d.file));
    process.stderr.write(`${formatLocation(file, d.line, d.column)}${d.severity}[${d.code}]: ${d.message}\n`);
  }
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of warnings) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
  const files = new Set(warnings.map((d) => d.file)).size;
  const more = warnings.length - shown.length;
  process.stderr.write(`${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${more > 0 ? ` (${more} more not shown; --verbose lists them all)` : ''}:\n`);
  const width = Math.max(...[...byCode.keys()].map((code) => code.length));
  for (const [code, list] of [...byCode].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))) {
    process.stderr.write(`  ${code.padEnd(width)}  ${String(list.length).padStart(4)}\n`);
  }
}

/** `--report FILE`: every diagnostic as JSON, for editors and CI (shape in the README). */
async function writeReport(file: string, bookDir: string, diagnostics: Diagnostic[]): Promise<void> {
  const report = { version: 1, bookDir, diagnostics };
  await writeFileAtomically(resolve(file), `${JSON.stringify(report, null, 2)}\n`);
}

/** Paths in messages: relative to the working folder when inside it, else absolute. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

// Run when executed (also through the npm bin symlink), not when imported by tests.
const invokedAs = process.argv[1] ? resolve(process.argv[1]) : '';
const self = fileURLToPath(import.meta.url);
if (invokedAs && realpathSync(invokedAs) === self) {
  // Interrupted or stopped: temporary files and folders removed, Chromium killed, then the
  // conventional exit code (128 + the signal's number). Also on any other way out.
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    process.once(signal, () => {
      cleanUpNow();
      process.exit(code);
    });
  }
  process.once('exit', cleanUpNow);
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
