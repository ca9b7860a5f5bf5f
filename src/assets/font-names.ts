/**
 * The family name inside a font file, set to the name the book's CSS gives it.
 *
 * Fontsource's Noto Serif SC files are instances of a variable font that kept the name of its
 * default instance: every weight calls itself "Noto Serif SC ExtraLight". A reading system that
 * matches @font-face names against the file (calibre's Check Book flags it; Adobe's RMSDK-based
 * readers are known to pick fonts by their internal names) then sees another family than the CSS
 * names. harfbuzz can override names while subsetting, but subset-font does not expose it, so the
 * `name` table is rewritten here: a small, well-specified table (OpenType spec, "name").
 */

const WINDOWS = 3;
const UNICODE = 0;
const FAMILY = 1;

interface TableRecord {
  tag: string;
  data: Uint8Array;
}

/** The font's family name (name ID 1), preferring the Windows Unicode record. */
export function fontFamilyName(font: Uint8Array): string | undefined {
  const name = tablesOf(font).find((t) => t.tag === 'name');
  if (!name) return undefined;
  const records = nameRecords(name.data);
  const family =
    records.find((r) => r.nameId === FAMILY && r.platformId === WINDOWS) ??
    records.find((r) => r.nameId === FAMILY);
  return family?.text;
}

/**
 * The font with every name that holds its family name (family, full name, PostScript name,
 * typographic family) holding `family` instead; the font itself when it already has that name
 * or has no `name` table. Table checksums and the font's checksum adjustment are recomputed.
 */
export function withFamilyName(font: Uint8Array, family: string): Uint8Array {
  const tables = tablesOf(font);
  const name = tables.find((t) => t.tag === 'name');
  const old = name ? fontFamilyName(font) : undefined;
  if (!name || !old || old === family) return font;
  const records = nameRecords(name.data).map((r) => ({
    ...r,
    // "Noto Serif SC ExtraLight Bold" -> "Noto Serif SC Bold"; "NotoSerifSCExtraLight-Bold" -> "NotoSerifSC-Bold"
    text: r.text.split(old).join(family).split(old.replace(/ /g, '')).join(family.replace(/ /g, '')),
  }));
  name.data = writeNameTable(records);
  return writeFont(font, tables);
}

function tablesOf(font: Uint8Array): TableRecord[] {
  const view = new DataView(font.buffer, font.byteOffset, font.byteLength);
  const count = view.getUint16(4);
  const tables: TableRecord[] = [];
  for (let i = 0; i < count; i++) {
    const rec = 12 + i * 16;
    const tag = String.fromCharCode(font[rec]!, font[rec + 1]!, font[rec + 2]!, font[rec + 3]!);
    const offset = view.getUint32(rec + 8);
    const length = view.getUint32(rec + 12);
    tables.push({ tag, data: font.subarray(offset, offset + length) });
  }
  return tables;
}

interface NameRecord {
  platformId: number;
  encodingId: number;
  languageId: number;
  nameId: number;
  text: string;
}

/** Windows and Unicode platform strings are UTF-16BE; Macintosh ones are (for names) ASCII. */
function wide(platformId: number): boolean {
  return platformId === WINDOWS || platformId === UNICODE;
}

function nameRecords(table: Uint8Array): NameRecord[] {
  const view = new DataView(table.buffer, table.byteOffset, table.byteLength);
  const count = view.getUint16(2);
  const strings = view.getUint16(4);
  const records: NameRecord[] = [];
  for (let i = 0; i < count; i++) {
    const at = 6 + i * 12;
    const platformId = view.getUint16(at);
    const length = view.getUint16(at + 8);
    const offset = strings + view.getUint16(at + 10);
    const bytes = table.subarray(offset, offset + length);
    let text = '';
    if (wide(platformId))
      for (let k = 0; k + 1 < bytes.length; k += 2)
        text += String.fromCharCode((bytes[k]! << 8) | bytes[k + 1]!);
    else text = String.fromCharCode(...bytes);
    records.push({
      platformId,
      encodingId: view.getUint16(at + 2),
      languageId: view.getUint16(at + 4),
      nameId: view.getUint16(at + 6),
      text,
    });
  }
  return records;
}

/** A format 0 `name` table (records sorted as the spec requires). */
function writeNameTable(records: NameRecord[]): Uint8Array {
  const sorted = [...records].sort(
    (a, b) =>
      a.platformId - b.platformId ||
      a.encodingId - b.encodingId ||
      a.languageId - b.languageId ||
      a.nameId - b.nameId,
  );
  const encoded = sorted.map((r) => {
    if (!wide(r.platformId)) return Uint8Array.from(r.text, (c) => c.charCodeAt(0) & 0xff);
    const bytes = new Uint8Array(r.text.length * 2);
    for (let k = 0; k < r.text.length; k++) {
      bytes[k * 2] = r.text.charCodeAt(k) >> 8;
      bytes[k * 2 + 1] = r.text.charCodeAt(k) & 0xff;
    }
    return bytes;
  });
  const stringOffset = 6 + sorted.length * 12;
  const out = new Uint8Array(stringOffset + encoded.reduce((n, e) => n + e.length, 0));
  const view = new DataView(out.buffer);
  view.setUint16(0, 0);
  view.setUint16(2, sorted.length);
  view.setUint16(4, stringOffset);
  let offset = 0;
  sorted.forEach((r, i) => {
    const at = 6 + i * 12;
    view.setUint16(at, r.platformId);
    view.setUint16(at + 2, r.encodingId);
    view.setUint16(at + 4, r.languageId);
    view.setUint16(at + 6, r.nameId);
    view.setUint16(at + 8, encoded[i]!.length);
    view.setUint16(at + 10, offset);
    out.set(encoded[i]!, stringOffset + offset);
    offset += encoded[i]!.length;
  });
  return out;
}

function checksum(data: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < data.length; i += 4) {
    sum =
      (sum +
        (((data[i] ?? 0) << 24) |
          ((data[i + 1] ?? 0) << 16) |
          ((data[i + 2] ?? 0) << 8) |
          (data[i + 3] ?? 0))) >>>
      0;
  }
  return sum;
}

/** The font rebuilt from its tables: same header fields, tables 4-byte aligned, checksums set. */
function writeFont(original: Uint8Array, tables: TableRecord[]): Uint8Array {
  const headerLength = 12 + tables.length * 16;
  const padded = (n: number) => (n + 3) & ~3;
  const out = new Uint8Array(headerLength + tables.reduce((n, t) => n + padded(t.data.length), 0));
  const view = new DataView(out.buffer);
  out.set(original.subarray(0, 12)); // sfnt version, numTables, searchRange, entrySelector, rangeShift
  let offset = headerLength;
  let head = -1;
  tables.forEach((t, i) => {
    const data = t.tag === 'head' ? Uint8Array.from(t.data) : t.data;
    if (t.tag === 'head') {
      new DataView(data.buffer).setUint32(8, 0); // checkSumAdjustment is 0 while checksums are taken
      head = offset;
    }
    const rec = 12 + i * 16;
    for (let k = 0; k < 4; k++) out[rec + k] = t.tag.charCodeAt(k);
    view.setUint32(rec + 4, checksum(data));
    view.setUint32(rec + 8, offset);
    view.setUint32(rec + 12, data.length);
    out.set(data, offset);
    offset += padded(data.length);
  });
  if (head >= 0) view.setUint32(head + 8, (0xb1b0afba - checksum(out)) >>> 0);
  return out;
}
