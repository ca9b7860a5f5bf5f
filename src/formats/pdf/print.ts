/**
 * Printing with Chromium: HTML to a tagged PDF with bookmarks, written atomically. Page size and
 * margins come from the document's CSS (@page). Chromium sets only the title in the document
 * information and always writes /Lang (en-US), so the author, subject, keywords and the language
 * are set by a PDF incremental update (pdf-file.ts): objects appended to the file, leaving what
 * Chromium wrote (structure tree, outline, fonts) untouched. A book is printed in two parts and
 * joined the same way (writeBookPdf).
 */
import { createWriteStream } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer-core';
import { fontRoots } from '../../assets/fonts.js';
import { blockedRequests, DEFAULT_TIMEOUT_MS, openConfinedPage, withBrowser } from '../../browser/index.js';
import { AnthologyError } from '../../errors.js';
import { writeAtomically } from '../../fs/atomic.js';
import { ENTRY_LINK_PREFIX } from '../../theme/print.js';
import {
  arrayItems,
  decodePdfString,
  dictGet,
  PdfFile,
  PdfUpdate,
  parseDictEntries,
  pdfString,
  refOf,
  refsIn,
  rewriteTokens,
  serializeDict,
  withEntries,
} from './pdf-file.js';
import { splitSpreads } from './spreads.js';

interface PdfMetadata {
  title: string;
  author?: string;
  /** BCP 47 language of the book, written as the PDF's /Lang. */
  language: string;
  subject?: string;
  keywords?: string[];
}

interface PdfResult {
  pages: number;
  /** Resources the page asked for and was refused (network, files outside the book). */
  blocked: string[];
}

/**
 * Drop U+FE0F (VARIATION SELECTOR-16, "show as colour emoji") from the document. A print is set in
 * the book's monochrome fonts, but Chromium honours VS16 by taking the glyph from a system colour
 * emoji font (Noto Color Emoji on Debian), which a PDF can hold only as a Type 3 bitmap font, even
 * when a bundled font has the character. `font-variant-emoji: text` does not override an explicit
 * VS16. Without it, the character is drawn from the bundled fonts (Noto Emoji, Symbols 2).
 */
export function monochromeEmoji(html: string): string {
  const plain = html.includes('\uFE0F') ? html.replace(/\uFE0F/g, '') : html;
  // A ZWJ sequence (👩‍🎨) is one glyph only in a font that has both parts in one file; fontsource
  // splits Noto Emoji by unicode-range, so Chromium takes the sequence from the system colour font
  // (Type 3). Without the joiner, its parts are drawn side by side from the bundled font.
  return plain.includes('\u200D')
    ? plain.replace(
        /(\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}]?)\u200D(?=\p{Extended_Pictographic})/gu,
        '$1',
      )
    : plain;
}

async function printToFile(page: Page, file: string, timeoutMs: number): Promise<void> {
  const stream = await page.createPDFStream({
    preferCSSPageSize: true,
    printBackground: true,
    outline: true,
    tagged: true,
    displayHeaderFooter: false,
    waitForFonts: true,
    timeout: timeoutMs,
  });
  await pipeline(
    Readable.fromWeb(stream as unknown as WebReadableStream<Uint8Array>),
    createWriteStream(file),
  );
}

const INFO_ORDER = ['Title', 'Author', 'Subject', 'Keywords'];
function rank(key: string): number {
  const k = INFO_ORDER.indexOf(key);
  return k < 0 ? INFO_ORDER.length : k;
}

// ---------------------------------------------------------------------------------------------
// The book: the text printed once, the front matter printed on its own, joined.

/** A chapter or an article of the book, in reading order, as the contents lists it. */
interface BookEntry {
  kind: 'chapter' | 'article';
  id: string;
  /** The title as its heading prints it (the outline entry Chromium makes from the heading). */
  title: string;
}

/** Where an entry landed: its page in the text (1 = the first page of the text, folio 1). */
type PageNumbers = ReadonlyMap<string, number>;

export interface BookPdfJob {
  /** Told each step as it starts (1 of 3: the text, the front matter, the joining), for a progress line. */
  onStep?: (what: string, step: number, steps: number) => void;
  /**
   * The text of the book (chapters and articles) as one HTML document, folios in arabic from 1.
   * Every chapter opener is preceded by a page-sized blank verso (`.chapter-verso`), so that the
   * join can put every opener on a right-hand page by swapping it with its blank, which changes
   * the folio of no other page.
   */
  body: string;
  /** The front matter (title page, colophon, contents) for the given page numbers, folios in roman. */
  front: (pages: PageNumbers) => string;
  /** Every chapter and article, in order, each with the title of its heading. */
  entries: BookEntry[];
  /**
   * The text is printed on spreads (pages two pages wide, the `facing` layout): each is cut into
   * its left and right page (spreads.ts) before the front matter is joined.
   */
  spreads?: boolean;
  workDir: string;
  allowedRoots: string[];
  outFile: string;
  metadata: PdfMetadata;
  timeoutMs?: number;
}

export interface BookPdfResult extends PdfResult {
  /** Pages of front matter (roman), blank pages included. */
  frontPages: number;
  /** The folio (page number in the text) of every chapter and article, by id. */
  pageNumbers: PageNumbers;
  /** Every named destination of the text (an element something links to): its folio and height. */
  places: ReadonlyMap<string, Place>;
  /** Pages of the text. */
  textPages: number;
  /** Milliseconds: body print, front print, join. */
  timings: { body: number; front: number; join: number };
}

/**
 * Print a book: the text once, then the front matter with the page numbers read from the text's
 * outline, joined into one PDF that keeps both prints' tags, bookmarks and links.
 */
export async function writeBookPdf(job: BookPdfJob, browser?: Browser): Promise<BookPdfResult> {
  const timeoutMs = job.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!browser) return withBrowser((b) => writeBookPdf(job, b), { timeoutMs });

  const workDir = resolve(job.workDir);
  await mkdir(workDir, { recursive: true });
  const roots = [workDir, ...job.allowedRoots, ...fontRoots()];
  const page = await openConfinedPage(browser, roots);
  try {
    page.setDefaultTimeout(timeoutMs);
    page.setDefaultNavigationTimeout(timeoutMs);
    const timings = { body: 0, front: 0, join: 0 };
    let result: Omit<BookPdfResult, 'blocked' | 'timings'> | undefined;
    await writeAtomically(resolve(job.outFile), async (tmp) => {
      let started = Date.now();
      job.onStep?.('PDF: printing the text', 1, 3);
      await printHtml(page, join(workDir, 'body.html'), job.body, tmp, timeoutMs);
      timings.body = Date.now() - started;

      started = Date.now();
      if (job.spreads) await appendFile(tmp, cutSpreads(new PdfFile(await readFile(tmp))));
      const body = new PdfFile(await readFile(tmp));
      const layout = bodyLayout(body, job.entries, job.spreads);
      timings.join += Date.now() - started;

      started = Date.now();
      const frontFile = join(workDir, 'front.pdf');
      job.onStep?.('PDF: printing the front matter', 2, 3);
      await printHtml(page, join(workDir, 'front.html'), job.front(layout.pageNumbers), frontFile, timeoutMs);
      timings.front = Date.now() - started;

      started = Date.now();
      job.onStep?.('PDF: joining', 3, 3);
      const front = new PdfFile(await readFile(frontFile));
      const joined = joinFrontMatter(body, front, layout, job.entries, job.metadata);
      await appendFile(tmp, joined.update);
      timings.join += Date.now() - started;
      result = {
        pages: joined.pages,
        frontPages: joined.frontPages,
        pageNumbers: layout.pageNumbers,
        places: namedPlaces(body, layout.order),
        textPages: layout.order.length,
      };
    });
    return { ...result!, blocked: [...blockedRequests(page)], timings };
  } catch (error) {
    throw asAnthologyError(error, timeoutMs);
  } finally {
    await page.close().catch(() => undefined);
  }
}

/** The spreads cut into pages; what Chromium printed and we cannot cut is one clear message. */
function cutSpreads(pdf: PdfFile): Buffer {
  try {
    return splitSpreads(pdf);
  } catch (error) {
    throw new AnthologyError(
      `the facing pages could not be cut from Chromium's print: ${(error as Error).message}`,
    );
  }
}

function asAnthologyError(error: unknown, timeoutMs: number): unknown {
  if (error instanceof AnthologyError) return error;
  const message = (error as Error).message ?? String(error);
  if ((error as Error).name === 'TimeoutError' || /timed out|timeout .*exceeded|ms exceeded/i.test(message)) {
    return new AnthologyError(
      `Printing the PDF took longer than ${Math.round(timeoutMs / 1000)} s and was stopped (${message}).`,
    );
  }
  return error;
}

async function printHtml(
  page: Page,
  htmlFile: string,
  html: string,
  pdfFile: string,
  timeoutMs: number,
): Promise<void> {
  await writeFile(htmlFile, monochromeEmoji(html));
  await page.goto(pathToFileURL(htmlFile).href, { waitUntil: 'load', timeout: timeoutMs });
  await printToFile(page, pdfFile, timeoutMs);
}

interface OutlineEntry {
  /** The outline item's object. */
  num: number;
  title: string;
  depth: number;
  /** The destination as written, e.g. `[12 0 R /XYZ 57 459 0]`. */
  dest: string;
  page: number | undefined;
}

/** The outline of a PDF, depth first. */
function readOutline(pdf: PdfFile): OutlineEntry[] {
  const root = refOf(pdf.catalog().get('Outlines'));
  const out: OutlineEntry[] = [];
  if (root === undefined) return out;
  const walk = (first: number | undefined, depth: number): void => {
    for (let num = first, guard = 0; num !== undefined && guard < 1_000_000; guard++) {
      const item = pdf.dict(num);
      const dest = item.get('Dest') ?? '';
      out.push({
        num,
        title: decodePdfString(item.get('Title') ?? '()'),
        depth,
        dest,
        page: refsIn(dest)[0],
      });
      walk(refOf(item.get('First')), depth + 1);
      num = refOf(item.get('Next'));
    }
  };
  walk(refOf(pdf.dict(root).get('First')), 0);
  return out;
}

/** Where a named destination is: the folio of its page, and its height on the page (PDF units, from the bottom). */
export interface Place {
  folio: number;
  y: number;
}

/** The named destinations (the catalog's /Dests, as Chromium writes them), by name, on the text's pages in their final order. */
function namedPlaces(body: PdfFile, order: number[]): Map<string, Place> {
  const places = new Map<string, Place>();
  const destsValue = body.catalog().get('Dests');
  if (destsValue === undefined) return places;
  const ref = refOf(destsValue);
  const entries = parseDictEntries(ref === undefined ? destsValue : body.object(ref).text);
  const folioOf = new Map(order.map((num, index) => [num, index + 1]));
  for (const [name, dest] of entries) {
    // [page 0 R /XYZ left top zoom]
    const match = /^\[\s*(\d+)\s+\d+\s+R\s*\/XYZ\s+(-?[\d.]+)\s+(-?[\d.]+)/.exec(dest);
    const folio = match ? folioOf.get(Number(match[1])) : undefined;
    if (folio !== undefined) places.set(decodePdfName(name), { folio, y: Number(match![3]) });
  }
  return places;
}

/** A PDF name's characters: `#xx` escapes are bytes of its UTF-8. */
function decodePdfName(name: string): string {
  return name.includes('#')
    ? Buffer.from(
        name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
        'latin1',
      ).toString('utf8')
    : name;
}

interface BodyLayout {
  /** Page object numbers of the text in their final order (chapter openers swapped to the right). */
  order: number[];
  pageNumbers: Map<string, number>;
  /** The outline destination of every entry, by id. */
  dests: Map<string, string>;
  /** Bookmarks that go elsewhere than Chromium wrote (on spreads, an article's to its left-hand page): item -> destination. */
  movedBookmarks: Map<number, string>;
}

const normalizeTitle = (title: string): string => title.replace(/[\s\u00ad\u200b]+/g, '');

/**
 * Find every chapter and article in the text's outline (in order, by title), and put each chapter
 * opener on a right-hand (odd) page: an opener that fell on an even page changes places with the
 * blank page before it. No other page moves, so no printed folio changes.
 */
function bodyLayout(body: PdfFile, entries: BookEntry[], spreads = false): BodyLayout {
  const order = body.pages().map((p) => p.num);
  const outline = readOutline(body);
  const pageNumbers = new Map<string, number>();
  const dests = new Map<string, string>();
  const movedBookmarks = new Map<number, string>();
  let cursor = 0;
  for (const entry of entries) {
    const wanted = normalizeTitle(entry.title);
    let found = -1;
    for (let k = cursor; k < outline.length; k++) {
      // Chromium may write a heading's first line before its whole text ("AB" becomes "AAB").
      if (normalizeTitle(outline[k]!.title).includes(wanted)) {
        found = k;
        break;
      }
    }
    if (found < 0)
      throw new AnthologyError(
        `the PDF outline has no entry for "${entry.title}"; cannot number the contents`,
      );
    cursor = found + 1;
    const item = outline[found]!;
    let index = order.indexOf(item.page ?? -1);
    if (index < 0) throw new AnthologyError(`the outline entry for "${entry.title}" points to no page`);
    if (entry.kind === 'chapter' && index % 2 === 1 && index > 0) {
      // Folio index+1 is even: a left-hand page. Swap with the blank verso before it.
      [order[index - 1], order[index]] = [order[index]!, order[index - 1]!];
      index -= 1;
    }
    let dest = item.dest || `[${order[index]} 0 R /Fit]`;
    if (spreads && entry.kind === 'article' && index % 2 === 0 && index > 0) {
      // On spreads an article opens on a left-hand page (odd index: the text's first page is the
      // right half of the first spread); its title may stand on the right one, facing its original.
      index -= 1;
      dest = dest.replace(/^\[\s*\d+\s+0\s+R/, `[${order[index]} 0 R`);
      movedBookmarks.set(item.num, dest);
    }
    pageNumbers.set(entry.id, index + 1);
    dests.set(entry.id, dest);
  }
  return { order, pageNumbers, dests, movedBookmarks };
}

/**
 * The incremental update that puts the front matter's pages before the text's: the front PDF's
 * objects are copied with new numbers; the page tree, the structure tree (its Document element,
 * the parent tree), the outline and the catalog (page labels i, ii, ... then 1, 2, ...; /Lang)
 * are rewritten; the contents' entry links become links to the pages.
 */
function joinFrontMatter(
  body: PdfFile,
  front: PdfFile,
  layout: BodyLayout,
  entries: BookEntry[],
  metadata: PdfMetadata,
): { update: Buffer; pages: number; frontPages: number } {
  const update = new PdfUpdate(body);
  const bodyCatalog = body.catalog();
  const frontCatalog = front.catalog();
  const pagesRoot = refOf(bodyCatalog.get('Pages'))!;

  // Objects of the front PDF that are replaced by the body's, or dropped.
  const map = new Map<number, number>();
  const skip = new Set<number>([front.rootNum]);
  const frontInfo = refOf(front.trailer.get('Info'));
  if (frontInfo !== undefined) skip.add(frontInfo);
  const frontPagesRoot = refOf(frontCatalog.get('Pages'))!;
  const markPageNodes = (num: number): void => {
    const dict = front.dict(num);
    if (dict.get('Type') !== '/Pages') return;
    skip.add(num);
    map.set(num, pagesRoot);
    for (const kid of refsIn(dict.get('Kids') ?? '[]')) markPageNodes(kid);
  };
  markPageNodes(frontPagesRoot);

  // Structure trees: the front's top elements go first under the body's Document element.
  const bodyTreeNum = refOf(bodyCatalog.get('StructTreeRoot'));
  const frontTreeNum = refOf(frontCatalog.get('StructTreeRoot'));
  let structParentShift = 0;
  const frontTopKids: string[] = [];
  let bodyDocNum: number | undefined;
  if (bodyTreeNum !== undefined && frontTreeNum !== undefined) {
    const bodyTree = body.dict(bodyTreeNum);
    const bodyTop = refsIn(bodyTree.get('K') ?? '[]');
    bodyDocNum =
      bodyTop.length === 1 && body.dict(bodyTop[0]!).get('S') === '/Document' ? bodyTop[0] : undefined;
    const bodyParentTree = refOf(bodyTree.get('ParentTree'));
    const bodyKeys = bodyParentTree === undefined ? [] : body.numberTree(bodyParentTree).map(([k]) => k);
    structParentShift = Math.max(
      Number(bodyTree.get('ParentTreeNextKey') ?? 0),
      bodyKeys.length ? bodyKeys[bodyKeys.length - 1]! + 1 : 0,
    );
    const frontTree = front.dict(frontTreeNum);
    skip.add(frontTreeNum);
    const frontParentTree = refOf(frontTree.get('ParentTree'));
    const skipTree = (num: number): void => {
      skip.add(num);
      for (const kid of refsIn(front.dict(num).get('Kids') ?? '[]')) skipTree(kid);
    };
    if (frontParentTree !== undefined) skipTree(frontParentTree);
    const parent = bodyDocNum ?? bodyTreeNum;
    map.set(frontTreeNum, parent);
    for (const top of refsIn(frontTree.get('K') ?? '[]')) {
      const dict = front.dict(top);
      if (dict.get('S') === '/Document') {
        skip.add(top);
        map.set(top, parent);
        frontTopKids.push(
          ...arrayItems(dict.get('K')?.startsWith('[') ? dict.get('K')! : `[${dict.get('K') ?? ''}]`),
        );
      } else frontTopKids.push(`${top} 0 R`);
    }
  }

  // Outlines: the front's entries (title page, contents) come first.
  const bodyOutlines = refOf(bodyCatalog.get('Outlines'));
  const frontOutlines = refOf(frontCatalog.get('Outlines'));
  let frontOutlineFirst: number | undefined;
  let frontOutlineLast: number | undefined;
  let frontOutlineCount = 0;
  if (frontOutlines !== undefined) {
    const dict = front.dict(frontOutlines);
    skip.add(frontOutlines);
    if (bodyOutlines !== undefined) map.set(frontOutlines, bodyOutlines);
    frontOutlineFirst = refOf(dict.get('First'));
    frontOutlineLast = refOf(dict.get('Last'));
    frontOutlineCount = Number(dict.get('Count') ?? 0);
  }

  for (const num of [...front.offsets.keys()].sort((a, b) => a - b)) {
    if (!skip.has(num)) map.set(num, update.allocate());
  }
  const renumber = (n: number): number => {
    const to = map.get(n);
    if (to === undefined)
      throw new Error(
        `front matter object ${n} refers to an object that is not copied: ${front.object(n).text.slice(0, 200)}`,
      );
    return to;
  };
  const shifts = {
    StructParents: (v: number) => v + structParentShift,
    StructParent: (v: number) => v + structParentShift,
  };

  // The front's leaf pages: their parent becomes the body's page tree root.
  const frontLeaves = front.pages();
  const frontLeafSet = new Map(frontLeaves.map((p) => [p.num, p.inherited]));
  const bodyFirstOutline =
    bodyOutlines === undefined ? undefined : refOf(body.dict(bodyOutlines).get('First'));
  const linkRe = new RegExp(
    String.raw`/A\s*<<(?:[^<>]|<[0-9A-Fa-f]*>)*?/URI\s*\(${ENTRY_LINK_PREFIX.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(\d+)\)\s*>>`,
  );
  for (const num of map.keys()) {
    if (skip.has(num)) continue;
    const object = front.object(num);
    let text = rewriteTokens(object.text, renumber, shifts);
    const inherited = frontLeafSet.get(num);
    if (inherited)
      text = withEntries(
        text,
        [...inherited].filter(([k]) => dictGet(object.text, k) === undefined),
      );
    if (text.includes(ENTRY_LINK_PREFIX)) {
      text = text.replace(linkRe, (_all, index: string) => {
        const entry = entries[Number(index)];
        const dest = entry && layout.dests.get(entry.id);
        return dest ? `/Dest ${dest}` : '';
      });
    }
    if (num === frontOutlineLast && bodyFirstOutline !== undefined)
      text = withEntries(text, [['Next', `${bodyFirstOutline} 0 R`]]);
    update.set(map.get(num)!, text, object.stream);
  }

  // The page tree, flat: front pages (and a blank to end the front matter on a left-hand page),
  // then the text in its final order. Every body page is rewritten with its new parent.
  const kids = frontLeaves.map((p) => map.get(p.num)!);
  if (kids.length % 2 === 1) {
    const first = front.dict(frontLeaves[0]!.num);
    const mediaBox = first.get('MediaBox') ?? frontLeaves[0]!.inherited.get('MediaBox') ?? '[0 0 420 594.96]';
    kids.push(
      update.add(
        serializeDict([
          ['Type', '/Page'],
          ['Parent', `${pagesRoot} 0 R`],
          ['MediaBox', mediaBox],
          ['Resources', '<<>>'],
        ]),
      ),
    );
  }
  const frontPages = kids.length;
  const bodyInherited = new Map(body.pages().map((p) => [p.num, p.inherited]));
  for (const num of layout.order) {
    const entriesOf = parseDictEntries(body.object(num).text).filter(([k]) => k !== 'Parent');
    for (const [k, v] of bodyInherited.get(num) ?? [])
      if (!entriesOf.some(([e]) => e === k)) entriesOf.push([k, v]);
    entriesOf.push(['Parent', `${pagesRoot} 0 R`]);
    update.set(num, serializeDict(entriesOf));
    kids.push(num);
  }
  update.set(
    pagesRoot,
    serializeDict([
      ['Type', '/Pages'],
      ['Kids', `[${kids.map((k) => `${k} 0 R`).join(' ')}]`],
      ['Count', String(kids.length)],
    ]),
  );

  // The structure tree: one Document element holding the front matter's elements, then the text's.
  if (bodyTreeNum !== undefined && frontTreeNum !== undefined) {
    const bodyTree = body.dict(bodyTreeNum);
    const frontTree = front.dict(frontTreeNum);
    const frontKids = frontTopKids.map((k) => rewriteTokens(k, renumber));
    const holder = bodyDocNum ?? bodyTreeNum;
    const holderDict = parseDictEntries(body.object(holder).text);
    const k = holderDict.find(([key]) => key === 'K')?.[1] ?? '[]';
    const bodyKids = k.startsWith('[') ? arrayItems(k) : [k];
    const newHolder = holderDict.filter(([key]) => key !== 'K');
    newHolder.push(['K', `[${[...frontKids, ...bodyKids].join(' ')}]`]);
    update.set(holder, serializeDict(newHolder));

    const bodyParentTree = refOf(bodyTree.get('ParentTree'));
    const frontParentTree = refOf(frontTree.get('ParentTree'));
    const nums: Array<[number, string]> = bodyParentTree === undefined ? [] : body.numberTree(bodyParentTree);
    if (frontParentTree !== undefined) {
      for (const [key, value] of front.numberTree(frontParentTree))
        nums.push([key + structParentShift, rewriteTokens(value, renumber)]);
    }
    const treeNum = bodyParentTree ?? update.allocate();
    update.set(treeNum, serializeDict([['Nums', `[${nums.map(([key, v]) => `${key} ${v}`).join('\n')}]`]]));
    const next = structParentShift + Number(frontTree.get('ParentTreeNextKey') ?? 0);
    const newTree = [...bodyTree].filter(([key]) => key !== 'ParentTree' && key !== 'ParentTreeNextKey');
    newTree.push(['ParentTree', `${treeNum} 0 R`], ['ParentTreeNextKey', String(next)]);
    update.set(bodyTreeNum, serializeDict(newTree));
  }

  // Bookmarks that go to another page than Chromium's (an article's on spreads: its left-hand page).
  const bookmarkText = (num: number): string => {
    const dest = layout.movedBookmarks.get(num);
    return dest === undefined ? body.object(num).text : withEntries(body.object(num).text, [['Dest', dest]]);
  };
  for (const num of layout.movedBookmarks.keys()) update.set(num, bookmarkText(num));

  // The outline: the front matter's entries, then chapters and their articles.
  if (bodyOutlines !== undefined && frontOutlineFirst !== undefined) {
    const dict = body.dict(bodyOutlines);
    const newOutlines = [...dict].filter(([key]) => key !== 'First' && key !== 'Count');
    newOutlines.push(
      ['First', `${map.get(frontOutlineFirst)} 0 R`],
      ['Count', String(Number(dict.get('Count') ?? 0) + frontOutlineCount)],
    );
    update.set(bodyOutlines, serializeDict(newOutlines));
    if (bodyFirstOutline !== undefined && frontOutlineLast !== undefined) {
      update.set(
        bodyFirstOutline,
        withEntries(bookmarkText(bodyFirstOutline), [['Prev', `${map.get(frontOutlineLast)} 0 R`]]),
      );
    }
  }

  // The catalog: page labels (roman front matter, arabic text from 1), the book's language.
  const catalog = [...bodyCatalog].filter(([key]) => key !== 'Lang' && key !== 'PageLabels');
  catalog.push(['PageLabels', `<</Nums [0 <</S /r>> ${frontPages} <</S /D>>]>>`]);
  catalog.push(['Lang', pdfString(metadata.language)]);
  update.set(body.rootNum, serializeDict(catalog));

  return { update: update.bytes(setDocumentInfo(update, metadata)), pages: kids.length, frontPages };
}

/**
 * The document information (Chromium sets only the title): Title, Author, Subject, Keywords first,
 * then what Chromium wrote (Creator, Producer, dates). Returns the trailer entry naming it.
 */
function setDocumentInfo(update: PdfUpdate, metadata: PdfMetadata): Array<[string, string]> {
  const infoNum = refOf(update.base.trailer.get('Info'));
  const info = infoEntries(
    infoNum === undefined ? [] : parseDictEntries(update.base.object(infoNum).text),
    metadata,
  );
  const newInfoNum = infoNum ?? update.allocate();
  update.set(newInfoNum, serializeDict(info));
  return [['Info', `${newInfoNum} 0 R`]];
}

function infoEntries(existing: Array<[string, string]>, metadata: PdfMetadata): Array<[string, string]> {
  const wanted: Array<[string, string | undefined]> = [
    ['Title', metadata.title],
    ['Author', metadata.author],
    ['Subject', metadata.subject],
    ['Keywords', metadata.keywords?.length ? metadata.keywords.join(', ') : undefined],
  ];
  const info = existing.filter(([k]) => !wanted.some(([w, v]) => w === k && v));
  for (const [key, value] of wanted) if (value) info.unshift([key, pdfString(value)]);
  return info.sort((a, b) => rank(a[0]) - rank(b[0]));
}
