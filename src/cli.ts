#!/usr/bin/env node
/**
 * The command line: arguments in, calls to the API, messages out. The only module that prints
 * for the user and sets the exit code. A user error (AnthologyError) prints one clear message
 * without a stack trace and exits 1; a usage error exits 2.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
// Only types and light modules load up front: each command imports what it uses when it runs
// (`import()`), so `--version`, `--help` and `pairs` never load the browser driver, the image
// and font tools or the EPUB writer (issue 11: start-up under 0.2 s).
import type { BuildEvent } from './build.js';
import type { Config, OutputFormat } from './config/index.js';
import { AnthologyError, formatLocation } from './errors.js';
import { cleanUpNow } from './fs/cleanup.js';
import { type Diagnostic, LAYOUTS, type LayoutName, type PairOrder } from './model.js';
import { closest } from './suggest.js';
import {
  commandHelp,
  findCommand,
  generalHelp,
  type ParsedValues,
  parseCommand,
  refuseTogether,
  UsageError,
} from './usage.js';

/** `anthology: ` before every line the command line says for itself (not the book's diagnostics). */
const say = (line: string) => process.stderr.write(`${terminalSafe(`anthology: ${line}`)}\n`);

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  // `anthology` alone is a usage error, as mdBook and Zola make it: a script's empty variable fails
  if (command === undefined) {
    process.stderr.write(generalHelp());
    return 2;
  }
  if (command === '--help' || command === '-h') {
    process.stdout.write(generalHelp());
    return 0;
  }
  if (command === '--version' || command === '-V') {
    process.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  try {
    if (command === 'help') {
      if (rest.length > 1) throw new UsageError('help takes one COMMAND');
      process.stdout.write(rest[0] ? commandHelp(findCommand(rest[0])) : generalHelp());
      return 0;
    }
    const spec = findCommand(command);
    const { values, positionals } = parseCommand(spec, rest);
    if (values.help) {
      process.stdout.write(commandHelp(spec));
      return 0;
    }
    refuseTogether(values, 'quiet', 'verbose');
    if (spec.name === 'build') return await buildCommand(values, positionals);
    if (spec.name === 'check') return await checkCommand(values, positionals);
    if (spec.name === 'pairs') return await pairsCommand(values, positionals);
    if (spec.name === 'new') return await newCommand(values, positionals);
    return await previewCommand(values, positionals);
  } catch (error) {
    if (error instanceof UsageError) {
      say(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof AnthologyError) {
      say(`error: ${formatLocation(error.file && displayPath(error.file), error.line)}${error.detail}`);
      return 1;
    }
    // A bug, not the user's doing: one line to quote in a report; the stack when asked for.
    const verbose = argv.includes('--verbose');
    const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
    say(
      `internal error: ${message} (please report it${verbose ? ', with what follows' : ', with the output of the same command with --verbose'})`,
    );
    if (verbose && error instanceof Error && error.stack)
      process.stderr.write(`${terminalSafe(error.stack)}\n`);
    return 70;
  }
}

/** `unknown layout "facng" (did you mean "facing"?)`, or the choices when none is near. */
function unknownValue(what: string, value: string, choices: readonly string[]): string {
  const guess = closest(value, choices);
  return `unknown ${what} "${value}" (${guess ? `did you mean "${guess}"?` : `use ${choices.join(', ')}`})`;
}

const string = (value: ParsedValues[string]) => (typeof value === 'string' ? value : undefined);

/** --format, --layout and --order, checked before anything is read. */
async function buildOptions(values: ParsedValues, positionals: string[]) {
  const formats = ((values.format as string[] | undefined) ?? [])
    .flatMap((f) => f.split(','))
    .map((f) => f.trim().toLowerCase());
  const { OUTPUT_FORMATS } = await import('./config/index.js');
  const choices = ['all', ...OUTPUT_FORMATS];
  for (const f of formats) {
    if (!choices.includes(f)) throw new UsageError(unknownValue('format', f, choices));
  }
  const layout = string(values.layout);
  if (layout && !LAYOUTS.includes(layout as LayoutName))
    throw new UsageError(unknownValue('layout', layout, LAYOUTS));
  const order = string(values.order);
  const orders = ['original-first', 'translation-first'];
  if (order && !orders.includes(order)) throw new UsageError(unknownValue('order', order, orders));
  return {
    bookDir: positionals[0],
    content: string(values.content),
    out: string(values.out),
    formats: formats as (OutputFormat | 'all')[],
    layout: layout as LayoutName | undefined,
    order: order as PairOrder | undefined,
  };
}

async function buildCommand(values: ParsedValues, positionals: string[]): Promise<number> {
  refuseTogether(values, 'watch', 'strict');
  const quiet = Boolean(values.quiet);
  const progress = quiet ? undefined : progressPrinter();
  const { build } = await import('./build.js');
  const request = {
    ...(await buildOptions(values, positionals)),
    onEvent: progress,
    // --watch: articles' results stay in memory between the builds
    articleMemory: values.watch ? new Map() : undefined,
    epubFirst: Boolean(values.watch),
  };
  const report = string(values.report);
  let warnings = 0;
  const once = async () => {
    const result = await build(request);
    progress?.({ type: 'stage', message: '' });
    if (report) await writeReport(report, result.bookDir, result.diagnostics);
    if (!quiet) {
      for (const note of settingsNotes(result.config)) say(note);
      printDiagnostics(result.diagnostics, result.bookDir, Boolean(values.verbose));
    }
    warnings = countWarnings(result.diagnostics);
  };
  if (!values.watch) {
    await once();
    return strictExit(values, warnings);
  }
  return watchAndRebuild(request, once, quiet);
}

/** `anthology check`: the book read, paired and passed, its diagnostics printed; nothing written. */
async function checkCommand(values: ParsedValues, positionals: string[]): Promise<number> {
  const { check } = await import('./build.js');
  const quiet = Boolean(values.quiet);
  const result = await check({
    bookDir: positionals[0],
    content: string(values.content),
    onEvent: quiet ? undefined : progressPrinter(),
  });
  const report = string(values.report);
  if (report) await writeReport(report, result.bookDir, result.diagnostics);
  if (!quiet) {
    for (const note of settingsNotes(result.config)) say(note);
    const { articles, chapters, pairs } = result.counts;
    process.stdout.write(
      `checked ${plural(articles, 'article')} in ${plural(chapters, 'chapter')}: ${plural(pairs, 'pair')}, ${plural(countWarnings(result.diagnostics), 'warning')}\n`,
    );
    printDiagnostics(result.diagnostics, result.bookDir, Boolean(values.verbose));
  }
  return strictExit(values, countWarnings(result.diagnostics));
}

const countWarnings = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity !== 'info').length;

/** `--strict`: any warning fails the command (exit 1), after everything was written and said. */
function strictExit(values: ParsedValues, warnings: number): number {
  if (!values.strict || warnings === 0) return 0;
  say(`error: ${plural(warnings, 'warning')}, and --strict fails on any`);
  return 1;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

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
      say(
        `changed: ${changed.slice(0, 3).map(displayPath).join(', ')}${changed.length > 3 ? ` and ${changed.length - 3} more` : ''}`,
      );
    running = once()
      .catch((error: unknown) => {
        if (!(error instanceof AnthologyError)) throw error;
        say(`error: ${formatLocation(error.file && displayPath(error.file), error.line)}${error.detail}`);
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
  if (!quiet) say('watching for changes (Ctrl-C stops)');
  // Until Ctrl-C: the signal handlers at the bottom of this file end the process (exit code 130).
  void watcher;
  return new Promise<never>(() => {});
}

async function pairsCommand(values: ParsedValues, positionals: string[]): Promise<number> {
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
    typeof values.content === 'string' ? resolve(values.content) : dirname(file),
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

async function previewCommand(values: ParsedValues, positionals: string[]): Promise<number> {
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`bad port "${values.port}" (a number from 0 to 65535)`);
  const { bookDir, content, layout, order } = await buildOptions(values, positionals);
  const { startPreview } = await import('./preview/index.js');
  const preview = await startPreview({
    bookDir,
    content,
    layout,
    order,
    port,
    onEvent: (event) => {
      if (values.quiet) return;
      if (event.type === 'failed') say(`error: ${event.message}`);
      else
        say(
          `rebuilt in ${Math.round(event.ms)} ms (${plural(event.articles.parsed, 'article')} read again), ${plural(event.problems, 'problem')}`,
        );
    },
  });
  process.stdout.write(`Previewing ${displayPath(preview.bookDir)} at ${preview.url}  (Ctrl-C stops)\n`);
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
    child.on('error', () => say(`could not start ${command}; open ${url} yourself`));
    child.unref();
  });
}

async function newCommand(values: ParsedValues, positionals: string[]): Promise<number> {
  const { createBook } = await import('./scaffold/index.js');
  const created = await createBook(positionals[0] ?? '.', { title: string(values.title) });
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

/** Where settings came from, when a user may not expect it (said in one line each). */
function settingsNotes(config: Config): string[] {
  const notes: string[] = [];
  const { configForOtherContent, titleFromFolder } = config.settingsFrom;
  if (configForOtherContent)
    notes.push(
      `the settings (title, editors, chapters...) are those of ${displayPath(configForOtherContent)}, for the articles of ${displayPath(config.contentDir)}`,
    );
  if (titleFromFolder)
    notes.push(
      `no title in ${config.configFile ? displayPath(config.configFile) : 'a book.toml'}: the book is called "${config.book.title}", after the folder ${displayPath(titleFromFolder)}`,
    );
  return notes;
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

/** Paths in messages: relative to the working folder when inside it (`.` for itself), else absolute. */
function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  if (rel === '') return '.';
  return !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
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
