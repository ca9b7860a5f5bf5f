/**
 * Dates as written in front matter and book.toml: ISO 8601 / W3CDTF only (`2023`, `2023-01`,
 * `2023-01-26`, `2023-01-26T10:00:00+08:00`), years 1000 to 9999, every field in its range. The
 * EPUB's dc:date, the sort by date and the Chinese "2022年12月1日" all read these fields as
 * written, so `2022-13-45` or `99999-01-01` must stop here (issue 12), not be printed or crash
 * the packer.
 */
const ISO =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/;

/** The date in its ISO form (`T` between date and time, `+08:00`), or undefined when it is not one. */
export function isoDate(text: string): string | undefined {
  const m = ISO.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = m;
  const year = Number(y);
  if (year < 1000) return undefined;
  if (mo !== undefined && (Number(mo) < 1 || Number(mo) > 12)) return undefined;
  if (d !== undefined && (Number(d) < 1 || Number(d) > daysIn(year, Number(mo)))) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || (s !== undefined && Number(s) > 59)))
    return undefined;
  if (zone && zone !== 'Z' && (Number(zone.slice(1, 3)) > 14 || Number(zone.slice(-2)) > 59))
    return undefined;
  const date = [y, mo, d].filter((part) => part !== undefined).join('-');
  if (h === undefined) return date;
  const offset = zone && zone !== 'Z' ? `${zone.slice(0, 3)}:${zone.slice(-2)}` : (zone ?? '');
  return `${date}T${h}:${mi}${s !== undefined ? `:${s}${fraction ?? ''}` : ''}${offset}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export const DATE_EXAMPLE = '2026-11-26 or 2026-11-26T10:00:00+08:00';
