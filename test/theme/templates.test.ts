/**
 * The built-in templates, compiled when anthology is built (scripts/precompile-templates.mjs): the
 * compiled code is that of the templates as they are, and a book renders the same from it as from
 * the templates compiled at build time (a book folder overriding each with a copy of itself).
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadTemplates } from '../../src/theme/templates.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const PRECOMPILED = join(ROOT, 'lib', 'theme', 'builtin-templates.cjs');
const TEMPLATES = join(ROOT, 'templates');

describe.skipIf(!existsSync(PRECOMPILED))('the built-in templates, precompiled', () => {
  it('hold every template, compiled from its text as it is', () => {
    const precompiled = createRequire(import.meta.url)(PRECOMPILED) as Record<string, { hash: string }>;
    const files = [
      ...readdirSync(TEMPLATES).filter((f) => f.endsWith('.hbs')),
      ...readdirSync(join(TEMPLATES, 'partials')).map((f) => `partials/${f}`),
    ].sort();
    expect(Object.keys(precompiled).sort()).toEqual(files);
    for (const file of files)
      expect(precompiled[file]!.hash, file).toBe(
        createHash('sha256')
          .update(readFileSync(join(TEMPLATES, file)))
          .digest('hex'),
      );
  });

  it("render a book's own partials as compiled ones do: a nested partial is not indented (inside <pre> either)", async () => {
    const overrides = tempDir();
    mkdirSync(join(overrides, 'partials'));
    writeFileSync(join(overrides, 'partials', 'article-opener.hbs'), '<header>\n  {{> quote}}\n</header>');
    writeFileSync(join(overrides, 'partials', 'quote.hbs'), '<pre>line one\nline two</pre>');
    const data = { xml: false, layout: 'interleaved', article: { id: 'a', meta: {} }, body: '<p>b</p>' };
    const fromLib = (await import(
      pathToFileURL(join(ROOT, 'lib', 'theme', 'templates.js')).href
    )) as typeof import('../../src/theme/templates.js');
    const html = fromLib.loadTemplates('en', overrides).render('article', data);
    expect(html).toContain('<pre>line one\nline two</pre>');
    expect(html).toBe(loadTemplates('en', overrides).render('article', data));
  });

  it('give the same book as the templates compiled when the book is built', {
    timeout: 120_000,
  }, async () => {
    // the sample book
    const book = tempDir();
    cpSync(join(ROOT, 'content'), join(book, 'content'), { recursive: true });
    const toml = readFileSync(join(ROOT, 'book.toml'), 'utf8');
    writeFileSync(join(book, 'book.toml'), toml);
    const built = async (out: string) => {
      const run = await runCli(['build', book, '--format', 'epub,html', '--out', out], {
        env: { ...process.env, SOURCE_DATE_EPOCH: '1700000000' },
      });
      expect(run.code, run.stderr).toBe(0);
      return Object.fromEntries(
        readdirSync(out, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => [
            join(e.parentPath, e.name).slice(out.length),
            readFileSync(join(e.parentPath, e.name)),
          ]),
      );
    };
    const fromPrecompiled = await built(join(book, 'out1'));
    // the book's own templates, each a copy of the built-in one: compiled, not taken precompiled
    cpSync(TEMPLATES, join(book, 'templates'), { recursive: true });
    writeFileSync(join(book, 'book.toml'), toml.replace('[layout]', '[layout]\ntemplates = "templates"'));
    const fromText = await built(join(book, 'out2'));
    expect(Object.keys(fromText).sort()).toEqual(Object.keys(fromPrecompiled).sort());
    for (const [name, bytes] of Object.entries(fromPrecompiled))
      expect(Buffer.compare(bytes, fromText[name]!), name).toBe(0);
  });
});
