/**
 * Facing pages: the text of a `facing` book is printed on spreads (pages two pages wide, the
 * original in the left half, its translation in the right, each pair a grid row so that both
 * sides start at the same height and break across spreads together), and each printed spread is
 * cut here into its left and right page. Chromium prints each spread once; this is an incremental
 * update that gives every spread page its left half and adds a page for its right half:
 *
 * - content: content-split.ts cuts the page's content stream at the gutter; the right page's is
 *   moved left by half the spread;
 * - links: each annotation goes to the page its rectangle is on;
 * - bookmarks and named destinations: to the page (and x) they point into;
 * - structure tree: a marked-content id (MCID) or link that went right is referred to on the right
 *   page; the right page gets its own entry in the parent tree. The structure itself, and so the
 *   order a screen reader reads in, is Chromium's: the document's, pair by pair.
 *
 * The first spread's left half is dropped when it is blank (the book's first chapter opener is a
 * right-hand page, after the front matter's last page), so the text starts with folio 1 on a right
 * page as in the other layouts.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { splitContent } from './content-split.js';
import {
  arrayItems,
  type PdfFile,
  PdfUpdate,
  parseDictEntries,
  refOf,
  refsIn,
  serializeDict,
  withEntries,
} from './pdf-file.js';

interface Spread {
  /** The spread's page object: it becomes the left page. */
  left: number;
  /** The new page object for the right half. */
  right: number;
  /** x of the gutter (the middle of the spread) in the page's space. */
  gutter: number;
  /** How far left the right half moves: half the spread's width. */
  shift: number;
  rightMcids: Set<number>;
  rightAnnots: Set<number>;
}

/** The update that cuts every page of `pdf` (all spreads) in two; the pages' order is left, right. */
export function splitSpreads(pdf: PdfFile): Buffer {
  const update = new PdfUpdate(pdf);
  const pagesRoot = refOf(pdf.catalog().get('Pages'))!;
  const spreads = new Map<number, Spread>();
  const kids: number[] = [];
  const tree = structTree(pdf);
  let nextKey = tree?.nextKey ?? 0;
  const newParentEntries: Array<[number, string]> = [];

  pdf.pages().forEach(({ num, inherited }, index) => {
    const entries = parseDictEntries(pdf.object(num).text);
    const own = new Map(entries);
    for (const [key, value] of inherited) if (!own.has(key)) own.set(key, value);
    const [x0, y0, x1, y1] = arrayItems(own.get('MediaBox') ?? '[0 0 0 0]').map(Number) as [
      number,
      number,
      number,
      number,
    ];
    const half = (x1 - x0) / 2;
    const content = pageContent(pdf, own.get('Contents'));
    const split = splitContent(content, x0 + half);
    const spread: Spread = {
      left: num,
      right: update.allocate(),
      gutter: x0 + half,
      shift: half,
      rightMcids: split.rightMcids,
      rightAnnots: new Set(),
    };
    spreads.set(num, spread);

    const leftAnnots: string[] = [];
    const rightAnnots: string[] = [];
    for (const annot of refsIn(own.get('Annots') ?? '[]')) {
      const text = pdf.object(annot).text;
      const rect = arrayItems(new Map(parseDictEntries(text)).get('Rect') ?? '[0 0 0 0]').map(Number);
      if ((rect[0]! + rect[2]!) / 2 < spread.gutter) {
        leftAnnots.push(`${annot} 0 R`);
        continue;
      }
      rightAnnots.push(`${annot} 0 R`);
      spread.rightAnnots.add(annot);
      const moved = `[${rect[0]! - half} ${rect[1]} ${rect[2]! - half} ${rect[3]}]`;
      update.set(annot, withEntries(text, [['Rect', moved]]));
    }

    const box = `[${x0} ${y0} ${x0 + half} ${y1}]`;
    const page = (contents: string, annots: string[], structParents?: string): string => {
      const out: Array<[string, string]> = [];
      for (const [key, value] of own) {
        if (key === 'Contents' || key === 'Annots' || key === 'Parent' || key === 'StructParents') continue;
        out.push([key, /^(MediaBox|CropBox|BleedBox|TrimBox|ArtBox)$/.test(key) ? box : value]);
      }
      out.push(['Contents', contents], ['Parent', `${pagesRoot} 0 R`]);
      if (annots.length) out.push(['Annots', `[${annots.join(' ')}]`]);
      if (structParents !== undefined) out.push(['StructParents', structParents]);
      return serializeDict(out);
    };
    const stream = (text: string) => {
      // the fastest level: a book's content streams are tens of megabytes, and level 1 costs a
      // few per cent in size against level 6 for a third of the time
      const data = deflateSync(Buffer.from(text, 'latin1'), { level: 1 });
      return update.add(
        serializeDict([
          ['Filter', '/FlateDecode'],
          ['Length', String(data.length)],
        ]),
        data,
      );
    };
    const leftContents = `${stream(split.left)} 0 R`;
    // the right half moved onto a page of its own: its x starts at the gutter
    const rightContents = `${stream(movedLeft(split.right, half))} 0 R`;
    update.set(num, page(leftContents, leftAnnots, own.get('StructParents')));
    const key = own.get('StructParents');
    let rightKey: string | undefined;
    if (key !== undefined && tree) {
      rightKey = String(nextKey++);
      const entry = tree.entries.get(Number(key));
      if (entry !== undefined) newParentEntries.push([Number(rightKey), entry]);
    }
    update.set(spread.right, page(rightContents, rightAnnots, rightKey));
    // the book's first chapter opener faces the front matter's last page: its blank verso goes
    const blankFirstVerso = index === 0 && !split.painted.left;
    if (!blankFirstVerso) kids.push(num);
    kids.push(spread.right);
  });

  update.set(
    pagesRoot,
    serializeDict([
      ['Type', '/Pages'],
      ['Kids', `[${kids.map((k) => `${k} 0 R`).join(' ')}]`],
      ['Count', String(kids.length)],
    ]),
  );
  // [page 0 R /XYZ left top zoom]: a place in a right half is on the right page, moved left
  const moveDest = (dest: string): string => {
    const m = /^\[\s*(\d+)\s+0\s+R\s*\/XYZ\s+(-?[\d.]+)(.*)$/s.exec(dest);
    const spread = m ? spreads.get(Number(m[1])) : undefined;
    if (!m || !spread || Number(m[2]) < spread.gutter) return dest;
    return `[${spread.right} 0 R /XYZ ${Number(m[2]) - spread.shift}${m[3]}`;
  };
  moveOutline(pdf, update, moveDest);
  moveNamedDests(pdf, update, moveDest);
  if (tree) moveStructure(pdf, update, tree, spreads, newParentEntries, nextKey);
  return update.bytes();
}

/**
 * A content stream moved left by `by`. Chromium's streams open with the matrix that maps CSS
 * pixels to points (`.24 0 0 -.24 0 594.96 cm`): the move goes into it, so that the page still
 * opens with its scale (tools read the print's scale there); otherwise a translation comes first.
 */
function movedLeft(content: string, by: number): string {
  const first = /^\s*(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) cm\b/.exec(content);
  if (!first) return `1 0 0 1 ${-by} 0 cm\n${content}`;
  const [, a, b, c, d, e, f] = first;
  return `${a} ${b} ${c} ${d} ${Number(e) - by} ${f} cm${content.slice(first[0].length)}`;
}

/** A page's content, its streams decoded and joined. */
function pageContent(pdf: PdfFile, contents: string | undefined): string {
  if (contents === undefined) return '';
  return refsIn(contents)
    .map((num) => {
      const object = pdf.object(num);
      const filter = /\/Filter\s*(\/\w+|\[[^\]]*\])/.exec(object.text)?.[1];
      if (filter && filter !== '/FlateDecode' && filter.replace(/\s+/g, ' ') !== '[/FlateDecode]')
        throw new Error(`a page's content is encoded with ${filter}, which cannot be cut into facing pages`);
      return (filter ? inflateSync(object.stream!) : object.stream!).toString('latin1');
    })
    .join('\n');
}

/** Every outline item's destination, through `move`. */
function moveOutline(pdf: PdfFile, update: PdfUpdate, move: (dest: string) => string): void {
  const root = refOf(pdf.catalog().get('Outlines'));
  if (root === undefined) return;
  const visit = (first: number | undefined): void => {
    for (let num = first, guard = 0; num !== undefined && guard < 1_000_000; guard++) {
      const text = pdf.object(num).text;
      const dict = new Map(parseDictEntries(text));
      const dest = dict.get('Dest');
      if (dest?.startsWith('[')) {
        const moved = move(dest);
        if (moved !== dest) update.set(num, withEntries(text, [['Dest', moved]]));
      }
      visit(refOf(dict.get('First')));
      num = refOf(dict.get('Next'));
    }
  };
  visit(refOf(pdf.dict(root).get('First')));
}

/** The catalog's named destinations (what links and the page list point to), through `move`. */
function moveNamedDests(pdf: PdfFile, update: PdfUpdate, move: (dest: string) => string): void {
  const value = pdf.catalog().get('Dests');
  const ref = refOf(value);
  if (value === undefined || ref === undefined) return;
  const entries = parseDictEntries(pdf.object(ref).text);
  update.set(ref, serializeDict(entries.map(([name, dest]): [string, string] => [name, move(dest)])));
}

interface StructTree {
  root: number;
  /** The parent tree's entries: key -> value (an array of struct elements, or one). */
  entries: Map<number, string>;
  nextKey: number;
}

function structTree(pdf: PdfFile): StructTree | undefined {
  const root = refOf(pdf.catalog().get('StructTreeRoot'));
  if (root === undefined) return undefined;
  const dict = pdf.dict(root);
  const parentTree = refOf(dict.get('ParentTree'));
  const entries = new Map(parentTree === undefined ? [] : pdf.numberTree(parentTree));
  const keys = [...entries.keys()];
  const nextKey = Math.max(
    Number(dict.get('ParentTreeNextKey') ?? 0),
    keys.length ? Math.max(...keys) + 1 : 0,
  );
  return { root, entries, nextKey };
}

/**
 * The structure elements whose content went to a right page now say so: an MCID on the right is
 * referred to with the right page (the element's /Pg, or a marked-content reference), a link
 * annotation on the right likewise; the parent tree gains the right pages' entries.
 */
function moveStructure(
  pdf: PdfFile,
  update: PdfUpdate,
  tree: StructTree,
  spreads: Map<number, Spread>,
  added: Array<[number, string]>,
  nextKey: number,
): void {
  const moveItem = (item: string, pg: number | undefined): string => {
    if (/^\d+$/.test(item)) {
      const spread = pg === undefined ? undefined : spreads.get(pg);
      return spread?.rightMcids.has(Number(item))
        ? `<</Type /MCR /Pg ${spread.right} 0 R /MCID ${item}>>`
        : item;
    }
    if (item.startsWith('<<')) {
      const dict = new Map(parseDictEntries(item));
      const spread = spreads.get(refOf(dict.get('Pg')) ?? -1);
      if (!spread) return item;
      const right =
        dict.get('Type') === '/OBJR'
          ? spread.rightAnnots.has(refOf(dict.get('Obj')) ?? -1)
          : spread.rightMcids.has(Number(dict.get('MCID')));
      return right ? withEntries(item, [['Pg', `${spread.right} 0 R`]]) : item;
    }
    return item;
  };
  const seen = new Set<number>();
  const visit = (num: number): void => {
    if (seen.has(num)) return;
    seen.add(num);
    const text = pdf.object(num).text;
    const dict = new Map(parseDictEntries(text));
    // an element (the root too), not a marked-content or object reference: its own /Type, not one inside its /K
    if (dict.get('Type') === '/MCR' || dict.get('Type') === '/OBJR') return;
    const pg = refOf(dict.get('Pg'));
    const k = dict.get('K');
    if (k === undefined) return;
    const items = k.startsWith('[') ? arrayItems(k) : [k];
    for (const item of items) {
      const child = /^(\d+)\s+0\s+R$/.exec(item);
      if (child) visit(Number(child[1]));
    }
    const moved = items.map((item) => moveItem(item, pg));
    if (moved.every((item, i) => item === items[i])) return;
    // an element with one MCID, which went right: its page is the right page
    const single = items.length === 1 && /^\d+$/.test(items[0]!);
    update.set(
      num,
      withEntries(
        text,
        single ? [['Pg', `${spreads.get(pg!)!.right} 0 R`]] : [['K', `[${moved.join(' ')}]`]],
      ),
    );
  };
  visit(tree.root);

  const rootEntries = parseDictEntries(pdf.object(tree.root).text);
  const parentTreeRef = refOf(new Map(rootEntries).get('ParentTree'));
  const nums = [...tree.entries, ...added].sort((a, b) => a[0] - b[0]);
  const parentTree = parentTreeRef ?? update.allocate();
  update.set(parentTree, serializeDict([['Nums', `[${nums.map(([key, v]) => `${key} ${v}`).join('\n')}]`]]));
  const out = rootEntries.filter(([key]) => key !== 'ParentTree' && key !== 'ParentTreeNextKey');
  out.push(['ParentTree', `${parentTree} 0 R`], ['ParentTreeNextKey', String(nextKey)]);
  update.set(tree.root, serializeDict(out));
}
