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
import { setFlagsFromString } from 'node:v8';
// Only types and light modules load up front: each command imports what it uses when it runs
// (`import()`), so `--version`, `--help` and `pairs` never load the browser driver, the image
// and font tools or the EPUB writer (issue 11: start-up under 0.2 s).
import type { BuildEvent } from './build.js';
import type { OutputFormat } from './config/index.js';
import { AnthologyError, formatLocation } from './errors.js';
import { cleanUpNow } from './fs/cleanup.js';
import { type Diagnostic, LAYOUTS, type LayoutName, type PairOrder } from './model.js';

const HELP = `anthology: bilingual Markdown articles in, an EPUB and a print-ready PDF out

Usage:
  anthology build [BOOK_DIR] [options]   build the book in BOOK_DIR (default: .)
  anthology pairs FILE [--json]          show how an article's originals and translations pair up
  anthology preview [BOOK_DIR] [options] the book in your browser, updated as you edit
  anthology new DIR [--title TITLE]      start a book: book.toml, a sample article, .gitignore
  anthology --help | --version

Build options:
  --content DIR     folder of articles (default: BOOK_DIR/content, or [content] folder in book.toml)
  --out DIR         output folder (default: BOOK_DIR/dist)
  --format FORMAT   epub, kepub (the EPUB for Kobo), pdf, html (the print HTML, to preview the
                    PDF) or all (default: all = epub and pdf); repeat or separate with commas
  --layout NAME     ${LAYOUTS.join(', ')}; overrides book.toml and front matter
  --order ORDER     original-first or translation-first
  --report FILE     write every diagnostic (code, file, line, message) to FILE as JSON
  --verbose         list every warning (default: the first ten and a count by code)
  --quiet           print nothing but errors
  --watch           build again whenever the book changes; Ctrl-C stops

Preview options:
  --port N          the port on 127.0.0.1 (default: a free one, printed)
  --open            open the preview in the system's browser
  --content, --layout, --order as for build

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
    if (command === 'pairs') return await pairsCommand(rest);
    if (command === 'new') return await newCommand(rest);
    if (command === 'preview') return await previewCommand(rest);
    throw new UsageError(`unknown command "${command}"`);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`anthology: ${(error as Error).message}\nRun "anthology --help" for usage.\n`);
      return 2;
    }
    if (error instanceof AnthologyError) {
      process.stderr.write(
        `${terminalSafe(`error: ${formatLocation(error.file && displayPath(error.file), error.line)}${error.detail}`)}\n`,
      );
      return 1;
    }
    // A bug, not the user's doing: one line to quote in a report; the stack when asked for.
    const verbose = argv.includes('--verbose');
    const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    process.stderr.write(
      `${terminalSafe(`anthology: internal error: ${message} (please report it${verbose ? ', with what follows' : ', with the output of the same command with --verbose'})`)}\n`,
    );
    if (verbose && error instanceof Error && error.stack)
      process.stderr.write(`${terminalSafe(error.stack)}\n`);
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
      watch: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) throw new UsageError(`build takes one BOOK_DIR, got ${positionals.length}`);
  const formats = (values.format ?? []).flatMap((f) => f.split(',')).map((f) => f.trim().toLowerCase());
  const { OUTPUT_FORMATS } = await import('./config/index.js');
  for (const f of formats) {
    if (f !== 'all' && !OUTPUT_FORMATS.includes(f as OutputFormat))
      throw new UsageError(`unknown format "${f}" (use epub, kepub, pdf, html or all)`);
  }
  if (values.layout && !LAYOUTS.includes(values.layout as LayoutName))
    throw new UsageError(`unknown layout "${values.layout}" (use ${LAYOUTS.join(', ')})`);
  if (values.order && !['original-first', 'translation-first'].includes(values.order))
    throw new UsageError(`unknown order "${values.order}" (use original-first or translation-first)`);

  const progress = values.quiet ? undefined : progressPrinter();
  const { build } = await import('./build.js');
  const request = {
    bookDir: positionals[0],
    content: values.content,
    out: values.out,
    formats: formats as (OutputFormat | 'all')[],
    layout: values.layout as LayoutName | undefined,
    order: values.order as PairOrder | undefined,
    onEvent: progress,
    // --watch: articles' results stay in memory between the builds
    articleMemory: values.watch ? new Map() : undefined,
    epubFirst: Boolean(values.watch),
  };
  const once = async () => {
    const result = await build(request);
    progress?.({ type: 'stage', message: '' });
    if (values.report) await writeReport(values.report, result.bookDir, result.diagnostics);
    if (!values.quiet) printDiagnostics(result.diagnostics, result.bookDir, Boolean(values.verbose));
  };
  if (!values.watch) {
    await once();
    return 0;
  }
  return watchAndRebuild(request, once, Boolean(values.quiet));
}

/**
 * `build --watch`: build, then build again whenever the book changes, one build at a time; a
 * change during a build (the first one too: the watch starts before it) makes one more. A first
 * build that fails ends the command, as without --watch; a later one prints its error and the
 * watch goes on. Ctrl-C stops.
 */
async function watchAndRebuild(
  request: import('./config/index.js').BuildOptions,
  once: () => Promise<void>,
  quiet: boolean,
): Promise<number> {
  const [{ loadConfig }, { watchBook }] = await Promise.all([
    import('./config/index.js'),
    import('./watch/index.js'),
  ]);
  let running: Promise<void> | undefined;
  let again = false;
  const rebuild = (changed: string[]) => {
    if (running) {
      again = true;
      return;
    }
    if (!quiet)
      process.stderr.write(
        `changed: ${changed.slice(0, 3).map(displayPath).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}\n`,
      );
    running = once()
      .catch((error: unknown) => {
        if (!(error instanceof AnthologyError)) throw error;
        process.stderr.write(
          `error: ${formatLocation(error.file && displayPath(error.file), error.line)}${error.detail}\n`,
        );
      })
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          rebuild(['(changes during the build)']);
        }
      });
  };
  const watcher = watchBook(loadConfig(request), rebuild, 100);
  running = once().finally(() => (running = undefined));
  try {
    await running;
  } catch (error) {
    watcher.close();
    throw error;
  }
  if (again) {
    again = false;
    rebuild(['(changes during the build)']);
  }
  if (!quiet) process.stderr.write('watching for changes (Ctrl-C stops)\n');
  // Until Ctrl-C: the signal handlers at the bottom of this file end the process (exit code 130).
  void watcher;
  return new Promise<never>(() => {});
}

async function pairsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, content: { type: 'string' }, verbose: { type: 'boolean' } },
  });
  if (positionals.length !== 1) throw new UsageError('pairs takes one Markdown FILE');
  const file = resolve(positionals[0]!);
  // Start-up (issue 11): V8 first interprets a regular expression and compiles it only once it is
  // used often; marked's block rules are large, and for one article that costs 40 ms on the first
  // lex against 12 ms compiled at once. Only regular expressions made from here on are affected.
  setFlagsFromString('--no-regexp-tier-up');
  const [{ readArticleSource }, { describeArticle, formatPairsHuman }] = await Promise.all([
    import('./collect/index.js'),
    import('./pairs/index.js'),
  ]);
  // A folder, a pipe, a binary or unreadable file: an AnthologyError naming it.
  const readDiagnostics: Diagnostic[] = [];
  const source = readArticleSource(
    file,
    values.content ? resolve(values.content) : dirname(file),
    readDiagnostics,
    displayPath(file),
  );
  const report = describeArticle(source, displayPath(file));
  report.diagnostics.unshift(...readDiagnostics);
  // `anthology pairs FILE | head`: a reader that stops reading is not an error
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
  if (values.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(terminalSafe(formatPairsHuman(report, process.stdout.columns || 120)));
  return 0;
}

async function previewCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      open: { type: 'boolean' },
      content: { type: 'string' },
      layout: { type: 'string' },
      order: { type: 'string' },
      quiet: { type: 'boolean' },
    },
  });
  if (positionals.length > 1) throw new UsageError(`preview takes one BOOK_DIR, got ${positionals.length}`);
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`bad port "${values.port}"`);
  if (values.layout && !LAYOUTS.includes(values.layout as LayoutName))
    throw new UsageError(`unknown layout "${values.layout}" (use ${LAYOUTS.join(', ')})`);
  const { startPreview } = await import('./preview/index.js');
  const preview = await startPreview({
    bookDir: positionals[0],
    content: values.content,
    layout: values.layout as LayoutName | undefined,
    order: values.order as PairOrder | undefined,
    port,
    onEvent: (event) => {
      if (values.quiet) return;
      if (event.type === 'failed') process.stderr.write(`error: ${event.message}\n`);
      else
        process.stderr.write(
          `rebuilt in ${Math.round(event.ms)} ms (${event.articles.parsed} article${event.articles.parsed === 1 ? '' : 's'} read again), ${event.problems} problem${event.problems === 1 ? '' : 's'}\n`,
        );
    },
  });
  process.stdout.write(
    `Previewing ${displayPath(preview.bookDir) || '.'} at ${preview.url}  (Ctrl-C stops)\n`,
  );
  if (values.open) openInBrowser(preview.url);
  // Runs until Ctrl-C (or a TERM), which ends the process through the signal handlers at the
  // bottom of this file: temporary files removed, exit code 130. The server's sockets and the
  // watchers go with the process.
  return new Promise<never>(() => {});
}

/** The system's way to open a URL; a failure only means the user opens it by hand. */
function openInBrowser(url: string): void {
  const command =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  void import('node:child_process').then(({ spawn }) => {
    const child = spawn(command, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => process.stderr.write(`could not start ${command}; open ${url} yourself\n`));
    child.unref();
  });
}

async function newCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { title: { type: 'string' } },
  });
  if (positionals.length !== 1) throw new UsageError('new takes one DIR, the book folder to create');
  const { createBook } = await import('./scaffold/index.js');
  const created = await createBook(positionals[0]!, { title: values.title });
  for (const file of created.files) process.stdout.write(`created ${displayPath(file)}\n`);
  const dir = displayPath(created.bookDir);
  process.stdout.write(`\nNext: anthology preview ${dir}   (or: anthology build ${dir})\n`);
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
    process.stdout.write(
      `wrote ${displayPath(event.file)} (${formatBytes(event.bytes)}${pages}) in ${(event.ms / 1000).toFixed(1)} s\n`,
    );
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
    process.stderr.write(
      `${terminalSafe(`${formatLocation(file, d.line, d.column)}${d.severity}[${d.code}]: ${d.message}`)}\n`,
    );
  }
  const byCode = new Map<string, Diagnostic[]>();
  for (const d of warnings) byCode.set(d.code, [...(byCode.get(d.code) ?? []), d]);
  const files = new Set(warnings.map((d) => d.file)).size;
  const more = warnings.length - shown.length;
  process.stderr.write(
    `${warnings.length} warning${warnings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'}${more > 0 ? ` (${more} more not shown; --verbose lists them all)` : ''}:\n`,
  );
  const width = Math.max(...[...byCode.keys()].map((code) => code.length));
  for (const [code, list] of [...byCode].sort(
    (a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]),
  )) {
    process.stderr.write(`  ${code.padEnd(width)}  ${String(list.length).padStart(4)}\n`);
  }
}

/** `--report FILE`: every diagnostic as JSON, for editors and CI (shape in the README). */
async function writeReport(file: string, bookDir: string, diagnostics: Diagnostic[]): Promise<void> {
  const report = { version: 1, bookDir, diagnostics };
  const { writeError, writeFileAtomically } = await import('./fs/atomic.js');
  await writeFileAtomically(resolve(file), `${JSON.stringify(report, null, 2)}\n`).catch((error: unknown) => {
    throw writeError(error, `cannot write the report ${file}`);
  });
}

/**
 * What we print comes from the user's files (a title, a file name, a line of an article): its
 * control characters are shown as `\x1b`, never sent, so an article cannot retitle or clear the
 * terminal (`ESC]0;`, `ESC[2J`). Line feeds and tabs stay.
 */
export function terminalSafe(text: string): string {
  return text.replace(
    /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );
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
  const pkg = JSON.parse(
    readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8'),
  ) as { version: string };
  return pkg.version;
}

// Run when executed (also through the npm bin symlink), not when imported by tests.
const invokedAs = process.argv[1] ? resolve(process.argv[1]) : '';
const self = fileURLToPath(import.meta.url);
if (invokedAs && realpathSync(invokedAs) === self) {
  // Interrupted or stopped: temporary files and folders removed, Chromium killed, then the
  // conventional exit code (128 + the signal's number). Also on any other way out.
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
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
