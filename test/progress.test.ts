/**
 * Progress (issue 11): long work says how far it is, as a count that moves on a terminal, and
 * nothing of it reaches a log that is not a terminal.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildEvent } from '../src/build.js';
import { BookTest } from './book-test.js';
import { ROOT, runCli } from './helpers.js';

const PNG = readFileSync(join(ROOT, 'content', 'craft', 'reading-slowly', 'pages-per-week.png'));

function book(): BookTest {
  // A cover of its own and no font embedding: no Chromium and no font work needed.
  return BookTest.create()
    .toml('[book]\ntitle = "T"\ncover = "cover.png"\n[epub]\nembed-fonts = false\n')
    .file('cover.png', PNG)
    .article(
      'one/index.md',
      'An English paragraph that is long enough.\n\n一段足够长的中文段落。\n\n![a](a.png)\n\n![b](b.png)\n',
    )
    .file('content/one/a.png', PNG)
    .file('content/one/b.png', Buffer.concat([PNG, Buffer.from([0])]));
}

describe('progress', () => {
  it('counts the EPUB images as they are done', async () => {
    const stages: string[] = [];
    await book().build({
      formats: ['epub'],
      cacheDir: false,
      onEvent: (e: BuildEvent) => e.type === 'stage' && stages.push(e.message),
    });
    expect(stages).toEqual(expect.arrayContaining(['EPUB: images 1/2', 'EPUB: images 2/2']));
    expect(stages.indexOf('EPUB: images 1/2')).toBeLessThan(stages.indexOf('EPUB: images 2/2'));
  });

  it('prints no progress when stderr is not a terminal', async () => {
    const t = book();
    const run = await runCli(['build', t.dir, '--format', 'epub']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wrote .*\.epub/m);
    expect(run.stderr).not.toMatch(/images \d+\/\d+|…|\r/);
  });
});
