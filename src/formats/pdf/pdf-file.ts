/**
 * output/pdf-file: just enough PDF to read what Chromium (Skia) writes and to append to it.
 *
 * Skia writes classic cross-reference tables and plain (uncompressed) dictionaries, so objects can
 * be found by offset and their dictionaries read as text (latin1, one byte per character). Streams
 * are copied as bytes, never decoded. Changes are written as an incremental update: the objects that
 * change or are new, appended with their own cross-reference section and a trailer pointing back.
 */

/** An object as found in the file: its text up to the stream data, and the stream bytes if any. */
export interface PdfObject {
  num: number;
  /** The object's value as text (`<< ... >>`, `[ ... ]`, a number...), without `obj`/`endobj`. */
  text: string;
  /** The raw stream data, for stream objects. */
  stream?: Buffer;
}

export class PdfFile {
  readonly bytes: Buffer;
  readonly offsets = new Map<number, number>();
  readonly trailer: Map<string, string>;
  readonly startxref: number;
  private readonly cache = new Map<number, PdfObject>();

  constructor(bytes: Buffer) {
    this.bytes = bytes;
    const tail = bytes.toString('latin1', Math.max(0, bytes.length - 1024));
    const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail)?.[1]);
    if (!Number.isFinite(startxref)) throw new Error('no startxref at the end of the PDF');
    this.startxref = startxref;
    let trailer: Map<string, string> | undefined;
    // Newest section first; older sections (an earlier incremental update) fill what is missing.
    for (let at: number | undefined = startxref; at !== undefined; ) {
      const head = bytes.toString('latin1', at, at + 4);
      if (head !== 'xref') throw new Error('the PDF has no classic cross-reference table');
      const trailerAt = bytes.indexOf('trailer', at, 'latin1');
      const sections = bytes.toString('latin1', at + 4, trailerAt);
      const re = /(\d+)\s+(\d+)\s*[\r\n]+((?:\d{10} \d{5} [nf][ \r\n]{1,2})+)/g;
      for (let m = re.exec(sections); m; m = re.exec(sections)) {
        const first = Number(m[1]);
        m[3]!
          .trim()
          .split(/\s*[\r\n]+\s*/)
          .forEach((line, k) => {
            const [offset, , kind] = line.split(/\s+/);
            if (kind === 'n' && !this.offsets.has(first + k)) this.offsets.set(first + k, Number(offset));
          });
      }
      const dictText = bytes.toString('latin1', trailerAt + 7, Math.min(bytes.length, trailerAt + 7 + 4096));
      const entries = new Map(parseDictEntries(dictText));
      trailer ??= entries;
      const prev = entries.get('Prev');
      at = prev === undefined ? undefined : Number(prev);
    }
    this.trailer = trailer!;
  }

  get size(): number {
    return Number(this.trailer.get('Size'));
  }

  object(num: number): PdfObject {
    const cached = this.cache.get(num);
    if (cached) return cached;
    const at = this.offsets.get(num);
    if (at === undefined) throw new Error(`object ${num} is not in the PDF`);
    const headerEnd = this.bytes.indexOf('obj', at, 'latin1') + 3;
    // The value: read until `stream` or `endobj` outside strings and dictionaries.
    // Most objects are small: a short window first (reading 64 KB for each of the tens of
    // thousands of structure elements a book has costs seconds), the whole object when it is longer.
    const window = this.bytes.toString('latin1', headerEnd, Math.min(this.bytes.length, headerEnd + 4096));
    let end = valueEnd(window, 0);
    let text = window.slice(0, end);
    if (end >= window.length - 16) {
      // A value longer than the window (a long array): read it whole.
      const endobj = this.bytes.indexOf('endobj', headerEnd, 'latin1');
      const whole = this.bytes.toString('latin1', headerEnd, endobj);
      end = valueEnd(whole, 0);
      text = whole.slice(0, end);
    }
    const rest = this.bytes.toString('latin1', headerEnd + end, headerEnd + end + 16);
    const result: PdfObject = { num, text: text.trim() };
    const streamMatch = /^\s*stream(\r\n|\n|\r)/.exec(rest);
    if (streamMatch) {
      const dataAt = headerEnd + end + streamMatch[0].length;
      const lengthValue = dictGet(result.text, 'Length');
      const ref = refOf(lengthValue);
      const length = ref === undefined ? Number(lengthValue) : Number(this.object(ref).text);
      result.stream = this.bytes.subarray(dataAt, dataAt + length);
    }
    this.cache.set(num, result);
    return result;
  }

  /** The dictionary of object `num` as a Map. */
  dict(num: number): Map<string, string> {
    return new Map(parseDictEntries(this.object(num).text));
  }

  get rootNum(): number {
    const root = refOf(this.trailer.get('Root'));
    if (root === undefined) throw new Error('the PDF trailer has no /Root');
    return root;
  }

  catalog(): Map<string, string> {
    return this.dict(this.rootNum);
  }

  /**
   * The leaf pages in order, each with the attributes it inherits from its ancestors
   * (Resources, MediaBox, CropBox, Rotate) so that the tree can be rebuilt flat.
   */
  pages(): Array<{ num: number; inherited: Map<string, string> }> {
    const pagesRoot = refOf(this.catalog().get('Pages'));
    if (pagesRoot === undefined) throw new Error('the PDF catalog has no /Pages');
    const out: Array<{ num: number; inherited: Map<string, string> }> = [];
    const walk = (num: number, inherited: Map<string, string>): void => {
      const dict = this.dict(num);
      if (dict.get('Type') === '/Pages') {
        const next = new Map(inherited);
        for (const key of INHERITABLE) if (dict.has(key)) next.set(key, dict.get(key)!);
        for (const kid of refsIn(dict.get('Kids') ?? '[]')) walk(kid, next);
      } else {
        out.push({ num, inherited });
      }
    };
    walk(pagesRoot, new Map());
    return out;
  }

  /** A number tree (ParentTree) read whole: [key, raw value] pairs in key order. */
  numberTree(num: number): Array<[number, string]> {
    const dict = this.dict(num);
    const out: Array<[number, string]> = [];
    if (dict.has('Nums')) {
      const tokens = arrayItems(dict.get('Nums')!);
      for (let k = 0; k + 1 < tokens.length; k += 2) out.push([Number(tokens[k]), tokens[k + 1]!]);
    }
    for (const kid of refsIn(dict.get('Kids') ?? '[]')) out.push(...this.numberTree(kid));
    return out.sort((a, b) => a[0] - b[0]);
  }
}

const INHERITABLE = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];

/** Where a value that starts at `from` ends (just after it); `text` may continue with `stream`/`endobj`. */
function valueEnd(text: string, from: number): number {
  let i = from;
  while (i < text.length && /\s/.test(text[i]!)) i++;
  let depth = 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') {
      i = literalStringEnd(text, i) - 1;
      if (depth === 0) return i + 1;
    } else if (c === '<' && text[i + 1] === '<') {
      depth++;
      i++;
    } else if (c === '>' && text[i + 1] === '>') {
      depth--;
      i++;
      if (depth === 0) return i + 1;
    } else if (c === '<') {
      i = text.indexOf('>', i);
      if (depth === 0) return i + 1;
    } else if (c === '[') depth++;
    else if (c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (depth === 0 && /\s/.test(c)) {
      // A simple value (number, name, reference `n g R`): ends before `endobj`/`stream`.
      const rest = text.slice(i);
      const m = /^\s*(endobj|stream)/.exec(rest);
      if (m) return i;
    } else if (depth === 0 && (text.startsWith('endobj', i) || text.startsWith('stream', i))) {
      return i;
    }
  }
  return text.length;
}

/** The index just after the literal string `( ... )` that starts at `from`. */
export function literalStringEnd(text: string, from: number): number {
  let depth = 0;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  return text.length;
}

/**
 * Rewrite the tokens of a PDF value outside its strings: every reference `n g R` through `ref`,
 * and every number that directly follows one of the names in `numbersAfter` through that function.
 */
export function rewriteTokens(
  text: string,
  ref: (num: number) => number,
  numbersAfter: Record<string, (value: number) => number> = {},
): string {
  let out = '';
  let i = 0;
  let lastName = '';
  const refRe = /(\d+)\s+(\d+)\s+R(?![A-Za-z0-9])/y;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '(') {
      const end = literalStringEnd(text, i);
      out += text.slice(i, end);
      i = end;
      lastName = '';
    } else if ((c === '<' && text[i + 1] === '<') || (c === '>' && text[i + 1] === '>')) {
      out += c + c;
      i += 2;
      lastName = '';
    } else if (c === '<') {
      const end = text.indexOf('>', i) + 1;
      out += text.slice(i, end);
      i = end;
      lastName = '';
    } else if (c === '/') {
      let j = i + 1;
      while (j < text.length && !/[\s/<>[\]()%{}]/.test(text[j]!)) j++;
      lastName = text.slice(i + 1, j);
      out += text.slice(i, j);
      i = j;
    } else if (/[0-9]/.test(c) && !/[0-9.A-Za-z+-]/.test(text[i - 1] ?? ' ')) {
      refRe.lastIndex = i;
      const m = refRe.exec(text);
      if (m) {
        out += `${ref(Number(m[1]))} ${m[2]} R`;
        i = refRe.lastIndex;
      } else {
        let j = i;
        while (j < text.length && /[0-9.]/.test(text[j]!)) j++;
        const num = text.slice(i, j);
        const fn = numbersAfter[lastName];
        out += fn && /^\d+$/.test(num) ? String(fn(Number(num))) : num;
        i = j;
      }
      lastName = '';
    } else {
      if (!/\s/.test(c)) lastName = '';
      out += c;
      i++;
    }
  }
  return out;
}

/** The object number of a reference `n g R`, or undefined. */
export function refOf(value: string | undefined): number | undefined {
  const m = /^\s*(\d+)\s+\d+\s+R\s*$/.exec(value ?? '');
  return m ? Number(m[1]) : undefined;
}

/** Every reference in a value, in order. */
export function refsIn(value: string): number[] {
  const out: number[] = [];
  rewriteTokens(value, (n) => {
    out.push(n);
    return n;
  });
  return out;
}

/** The items of an array value `[ ... ]` as raw text (a reference `n g R` is one item). */
export function arrayItems(value: string): string[] {
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '');
  const items: string[] = [];
  let i = 0;
  while (i < inner.length) {
    while (i < inner.length && /\s/.test(inner[i]!)) i++;
    if (i >= inner.length) break;
    const m = /^(\d+\s+\d+\s+R)(?![A-Za-z0-9])/.exec(inner.slice(i, i + 40));
    if (m) {
      items.push(m[1]!);
      i += m[1]!.length;
      continue;
    }
    const c = inner[i]!;
    let end: number;
    if (c === '(' || c === '<' || c === '[') end = valueEnd(inner, i);
    else if (c === '/') {
      end = i + 1;
      while (end < inner.length && !/[\s/<>[\]()]/.test(inner[end]!)) end++;
    } else {
      end = i;
      while (end < inner.length && !/[\s/<>[\]()]/.test(inner[end]!)) end++;
    }
    items.push(inner.slice(i, end));
    i = end;
  }
  return items;
}

/** One entry of a dictionary's text, or undefined. */
export function dictGet(text: string, key: string): string | undefined {
  return parseDictEntries(text).find(([k]) => k === key)?.[1];
}

/** The entries of a PDF dictionary `<< ... >>` as [name, raw value] pairs, in order. */
export function parseDictEntries(text: string): Array<[string, string]> {
  const start = text.indexOf('<<');
  if (start < 0) throw new Error('not a PDF dictionary');
  let i = start + 2;
  const entries: Array<[string, string]> = [];
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) throw new Error('unterminated PDF dictionary');
    if (text.startsWith('>>', i)) break;
    if (text[i] !== '/') throw new Error(`unexpected ${text[i]} in PDF dictionary`);
    let j = i + 1;
    while (j < text.length && !/[\s/<>[\]()]/.test(text[j]!)) j++;
    const key = text.slice(i + 1, j);
    i = j;
    while (i < text.length && /\s/.test(text[i]!)) i++;
    const m = /^(\d+\s+\d+\s+R)(?![A-Za-z0-9])/.exec(text.slice(i, i + 40));
    let end: number;
    if (m) end = i + m[1]!.length;
    else if (text[i] === '/') {
      end = i + 1;
      while (end < text.length && !/[\s/<>[\]()]/.test(text[end]!)) end++;
    } else if ('(<['.includes(text[i]!)) end = valueEnd(text, i);
    else {
      end = i;
      while (end < text.length && !/[\s/<>[\]()]/.test(text[end]!)) end++;
    }
    entries.push([key, text.slice(i, end).trim()]);
    i = end;
  }
  return entries;
}

export function serializeDict(entries: Iterable<[string, string]>): string {
  return `<<${[...entries].map(([k, v]) => `/${k} ${v}`).join('\n')}>>`;
}

/** A PDF text string: literal when ASCII, else UTF-16BE with a byte-order mark, in hex. */
/** A dictionary's text with entries set (replaced or added). */
export function withEntries(text: string, entries: Array<[string, string]>): string {
  if (!entries.length) return text;
  const dict = parseDictEntries(text).filter(([k]) => !entries.some(([e]) => e === k));
  return serializeDict([...dict, ...entries]);
}

export function pdfString(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
  let hex = 'FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase();
  return `<${hex}>`;
}

/** Decode a PDF text string (literal or hex; UTF-16BE with BOM or PDFDocEncoding ~ latin1). */
export function decodePdfString(raw: string): string {
  let bytes: number[] = [];
  const value = raw.trim();
  if (value.startsWith('<')) {
    const hex = value.slice(1, -1).replace(/\s+/g, '');
    for (let k = 0; k < hex.length; k += 2) bytes.push(parseInt(hex.slice(k, k + 2).padEnd(2, '0'), 16));
  } else {
    const inner = value.slice(1, -1);
    for (let k = 0; k < inner.length; k++) {
      const c = inner[k]!;
      if (c !== '\\') {
        bytes.push(c.charCodeAt(0) & 0xff);
        continue;
      }
      const n = inner[++k]!;
      const esc: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, '(': 40, ')': 41, '\\': 92 };
      if (n in esc) bytes.push(esc[n]!);
      else if (/[0-7]/.test(n)) {
        let oct = n;
        while (oct.length < 3 && /[0-7]/.test(inner[k + 1] ?? '')) oct += inner[++k];
        bytes.push(parseInt(oct, 8) & 0xff);
      } else if (n === '\r' || n === '\n') {
        if (n === '\r' && inner[k + 1] === '\n') k++;
      } else bytes.push(n.charCodeAt(0));
    }
  }
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    bytes = bytes.slice(2);
    let s = '';
    for (let k = 0; k + 1 < bytes.length; k += 2) s += String.fromCharCode((bytes[k]! << 8) | bytes[k + 1]!);
    return s;
  }
  return String.fromCharCode(...bytes);
}

/**
 * Objects to append to a PDF as an incremental update: `set` replaces or adds an object, `add`
 * allocates a new number. `bytes()` gives the update to append to the original file.
 */
export class PdfUpdate {
  private readonly objects = new Map<number, Buffer>();
  private next: number;

  constructor(readonly base: PdfFile) {
    this.next = base.size;
  }

  allocate(): number {
    return this.next++;
  }

  set(num: number, text: string, stream?: Buffer): void {
    const head = Buffer.from(`${num} 0 obj\n${text}\n`, 'latin1');
    this.objects.set(
      num,
      stream
        ? Buffer.concat([
            head,
            Buffer.from('stream\n', 'latin1'),
            stream,
            Buffer.from('\nendstream\nendobj\n', 'latin1'),
          ])
        : Buffer.concat([head, Buffer.from('endobj\n', 'latin1')]),
    );
  }

  add(text: string, stream?: Buffer): number {
    const num = this.allocate();
    this.set(num, text, stream);
    return num;
  }

  /** The update: objects, cross-reference section and trailer, to append at the end of the base file. */
  bytes(trailerExtra: Array<[string, string]> = []): Buffer {
    const base = this.base;
    let position = base.bytes.length + 1;
    const chunks: Buffer[] = [Buffer.from('\n', 'latin1')];
    const positions: Array<[number, number]> = [];
    for (const num of [...this.objects.keys()].sort((a, b) => a - b)) {
      const chunk = this.objects.get(num)!;
      positions.push([num, position]);
      chunks.push(chunk);
      position += chunk.length;
    }
    let xref = 'xref\n';
    for (let k = 0; k < positions.length; ) {
      let j = k;
      while (j + 1 < positions.length && positions[j + 1]![0] === positions[j]![0] + 1) j++;
      xref += `${positions[k]![0]} ${j - k + 1}\n`;
      for (let m = k; m <= j; m++) xref += `${String(positions[m]![1]).padStart(10, '0')} 00000 n \n`;
      k = j + 1;
    }
    const trailer = new Map<string, string>([
      ['Size', String(Math.max(this.next, base.size))],
      ['Root', base.trailer.get('Root')!],
    ]);
    if (base.trailer.has('Info')) trailer.set('Info', base.trailer.get('Info')!);
    for (const [k, v] of trailerExtra) trailer.set(k, v);
    trailer.set('Prev', String(base.startxref));
    if (base.trailer.has('ID')) trailer.set('ID', base.trailer.get('ID')!);
    xref += `trailer\n${serializeDict(trailer)}\nstartxref\n${position}\n%%EOF\n`;
    chunks.push(Buffer.from(xref, 'latin1'));
    return Buffer.concat(chunks);
  }
}
