/** The escapers of the package documents (OPF, nav, NCX). */
import { escapeAttr, escapeText } from '../../markdown/xhtml.js';

/** Escape for XML text content (characters XML cannot hold are dropped). */
export const text = escapeText;

/** Escape for a double-quoted XML attribute; white space kept as references, which attribute normalisation would not. */
export function attr(s: string): string {
  return escapeAttr(s).replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}
