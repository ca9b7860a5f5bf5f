/**
 * The PDF format: the book printed by Chromium (the shared browser), from the print HTML the
 * theme renders. The text is printed once, the front matter on its own with the page numbers the
 * text's print gives, and the two are joined (print.ts, with our PDF reader and writer).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fontRoots } from '../../assets/fonts.js';
import { copyAssets } from '../../assets/images.js';
import { renderPrintBook } from '../../theme/print.js';
import { BUILTIN_STYLES } from '../../theme/templates.js';
import { subjectsOf } from '../../walk.js';
import { outputPath, type Format } from '../format.js';
import { writeBookPdf } from './print.js';

export const pdfFormat: Format = {
  name: 'pdf',
  async write(book, ctx) {
    const path = outputPath(book, ctx, '.pdf');
    const print = renderPrintBook(book, ctx.config, ctx.theme);
    for (const { source, characters } of print.uncovered) {
      const list = characters.map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`).join(', ');
      ctx.report({ code: 'font/missing-glyph', severity: 'warning', file: source, message: `no bundled font has ${list}; the PDF takes it from a system font, if any` });
    }
    const workDir = await mkdtemp(join(tmpdir(), 'anthology-print-'));
    try {
      await copyAssets(book.assets, workDir);
      const { pages, blocked } = await writeBookPdf(
        {
          body: print.body,
          front: print.front,
          entries: print.entries,
          workDir,
          allowedRoots: [workDir, BUILTIN_STYLES, ...fontRoots()],
          outFile: path,
          onStep: (what, step, steps) => ctx.progress?.(what, step, steps),
          metadata: {
            title: book.meta.title,
            author: [...book.meta.editors, ...book.meta.authors].join(', ') || undefined,
            language: book.meta.language,
            subject: book.meta.description,
            keywords: subjectsOf(book),
          },
        },
        await ctx.browser.get(),
      );
      for (const url of new Set(blocked)) {
        ctx.report({ code: 'print/blocked', severity: 'warning', file: 'book.toml', message: `the print asked for ${url}, which is not a file of the book; refused` });
      }
      return { format: 'pdf', path, bytes: (await stat(path)).size, pages };
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  },
};
