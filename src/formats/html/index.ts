/**
 * The HTML format: the print HTML in a folder of its own (`<slug>-print/index.html` and its
 * images), to open in a browser and see what the PDF will be. Replaced as a whole folder, so a
 * reader never sees half of it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { copyAssets } from '../../assets/images.js';
import { writeFolderAtomically } from '../../fs/atomic.js';
import { renderPrintHtml } from '../../theme/print.js';
import { type Format, outputPath } from '../format.js';

export const htmlFormat: Format = {
  name: 'html',
  async write(book, ctx) {
    const folder = outputPath(book, ctx, '-print');
    const html = Buffer.from(renderPrintHtml(book, ctx.config, ctx.theme));
    await writeFolderAtomically(folder, async (staging) => {
      await copyAssets(book.assets, staging);
      await writeFile(join(staging, 'index.html'), html);
    });
    // its size as written, not read back: another build writing the same folder may have it
    // moved aside for a moment (replaceFolder), and a stat then finds nothing
    return { format: 'html', path: join(folder, 'index.html'), bytes: html.length };
  },
};
