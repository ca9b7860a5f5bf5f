import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { AnthologyError } from '../errors.js';
import { LAYOUTS, type Medium } from '../model.js';
import { BUILTIN_STYLES } from './templates.js';

/**
 * The book's CSS for one medium: the built-in base, the medium's sheet, every layout's sheet
 * (articles may choose their own layout), then the book's own stylesheets, which win.
 */
export function stylesheetFor(medium: Medium, config: Config): string {
  // facing is print only (a screen shows it side by side)
  const layouts = LAYOUTS.filter((l) => medium === 'pdf' || l !== 'facing');
  const builtin = [
    'base.css',
    medium === 'epub' ? 'epub.css' : 'print.css',
    ...layouts.map((l) => `layout-${l}.css`),
  ];
  const parts = builtin.map((name) => readStyle(join(BUILTIN_STYLES, name), true));
  for (const file of [...config.stylesheets.all, ...config.stylesheets[medium]])
    parts.push(readStyle(file, false, config.configFile));
  return parts.join('\n');
}

function readStyle(file: string, builtin: boolean, configFile?: string): string {
  try {
    return `/* ${builtin ? 'anthology: ' : ''}${file.split('/').pop()} */\n${readFileSync(file, 'utf8')}`;
  } catch {
    // book.toml's stylesheets were checked (present, inside the book) when it was read: this is a
    // file that went away since.
    throw new AnthologyError(`stylesheet not found: ${file}`, { file: configFile });
  }
}
