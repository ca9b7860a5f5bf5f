/**
 * The PDF format: the book printed by Chromium (the shared browser), from the print HTML the
 * theme renders. The text is printed once, the front matter on its own with the page numbers the
 * text's print gives, and the two are joined (print.ts, with our PDF reader and writer).
 */
import { stat } from 'node:fs/promises';
import { fontRoots } from '../../assets/fonts.js';
import { copyAssets } from '../../assets/images.js';
import { temporaryFolder } from '../../fs/cleanup.js';
import { renderPrintBook } from '../../theme/print.js';
import { BUILTIN_STYLES } from '../../theme/templates.js';
import { subjectsOf } from '../../walk.js';
import { type Format, outputPath } from '../format.js';
import { printedPages } from './page-list.js';
import { writeBookPdf } from './print.js';

export const pdfFormat: Format = {
  name: 'pdf',
  async write(book, ctx) {
    const path = outputPath(book, ctx, '.pdf');
    // An EPUB (or kepub) of the same build gets a page list: mark the places whose printed page it needs.
    const pageAnchors = ctx.config.formats.some((f) => f === 'epub' || f === 'kepub');
    const print = renderPrintBook(book, ctx.config, ctx.theme, { pageAnchors });
    for (const { source, characters } of print.uncovered) {
      const list = characters
        .map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`)
        .join(', ');
      ctx.report({
        code: 'font/missing-glyph',
        severity: 'warning',
        file: source,
        message: `no bundled font has ${list}; the PDF takes it from a system font, if any`,
      });
    }
    const work = temporaryFolder('print');
    const workDir = work.path;
    try {
      await copyAssets(book.assets, workDir);
      const { pages, blocked, pageNumbers, places, textPages } = await writeBookPdf(
        {
          body: print.body,
          front: print.front,
          entries: print.entries,
          spreads: print.spreads,
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
      if (pageAnchors)
        ctx.printed.pages = printedPages(print.anchors, pageNumbers, places, textPages, print.spreads);
      for (const url of new Set(blocked)) {
        ctx.report({
          code: 'print/blocked',
          severity: 'warning',
          file: 'book.toml',
          message: `the print asked for ${url}, which is not a file of the book; refused`,
        });
      }
      return { format: 'pdf', path, bytes: (await stat(path)).size, pages };
    } finally {
      work.remove();
    }
  },
};
