/**
 * `anthology new DIR`: a book folder to start from, in the shape anthology reads without
 * options: a commented book.toml, one sample article in the clipping sites' format (a page
 * bundle under content/YYYY/MM/DD/<slug>/, front matter in the Zola style, each English
 * paragraph followed by its Chinese translation) and a .gitignore for the outputs and the cache.
 * Never overwrites: a folder that exists and is not empty is refused.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { AnthologyError } from '../errors.js';
import { makeFolders, writeError } from '../fs/atomic.js';

export interface NewBook {
  bookDir: string;
  /** The files written, absolute, in the order written. */
  files: string[];
}

export async function createBook(
  dir: string,
  options: { title?: string; now?: Date } = {},
): Promise<NewBook> {
  const bookDir = resolve(dir);
  if (existsSync(bookDir)) {
    if (!statSync(bookDir).isDirectory())
      throw new AnthologyError('exists and is not a folder', { file: bookDir });
    if (readdirSync(bookDir).length > 0)
      throw new AnthologyError('folder exists and is not empty; anthology new only creates a new book', {
        file: bookDir,
      });
  }
  const title = options.title ?? basename(bookDir);
  const now = options.now ?? new Date();
  const [yyyy, mm, dd] = now.toISOString().slice(0, 10).split('-') as [string, string, string];
  const articleDir = join(bookDir, 'content', yyyy, mm, dd, 'on-reading-slowly');
  const files: [string, string][] = [
    [join(bookDir, 'book.toml'), bookToml(title, `${yyyy}-${mm}-${dd}`)],
    [join(bookDir, '.gitignore'), GITIGNORE],
    [join(articleDir, 'index.md'), sampleArticle(now)],
  ];
  try {
    for (const [file, text] of files) {
      // one level at a time (fs/atomic.ts): Node's recursive mkdir never returns under /proc
      await makeFolders(join(file, '..'));
      // `wx`: never replace a file, even one that appeared since the check above.
      writeFileSync(file, text, { flag: 'wx' });
    }
  } catch (error) {
    throw writeError(error, `cannot make the book folder ${bookDir}`);
  }
  return { bookDir, files: files.map(([file]) => file) };
}

/** TOML basic string: quotes, backslashes and control characters escaped. */
function tomlString(text: string): string {
  return JSON.stringify(text).replace(/\u007f/g, '\\u007f');
}

function bookToml(title: string, date: string): string {
  return `# The book's settings. Every key is optional; the README ("book.toml") lists them all.
# Build with:    anthology build          (dist/<slug>.epub and dist/<slug>.pdf)
# Preview with:  anthology preview        (a live page in your browser while you edit)

[book]
title = ${tomlString(title)}
# subtitle = "A Bilingual Anthology"
# editors = ["Your Name"]
# language = "zh"            # default: guessed from the articles' titles
date = ${date}
# cover = "cover.jpg"        # default: a cover drawn from the title

[content]
folder = "content"
# Articles are content/**/*.md or page bundles (<slug>/index.md with their images).
# Dated bundles (content/YYYY/MM/DD/<slug>/) make one chapter per month; named folders one
# chapter per folder. List [[chapters]] to choose yourself:
# [[chapters]]
# title = "Essays"
# articles = ["${date.slice(0, 4)}/**"]

[layout]
name = "interleaved"         # interleaved | side-by-side | original | translation
# order = "translation-first"

# [epub]
# images = "optimized"       # or "original"
# embed-fonts = true

# [pdf]
# layout = "side-by-side"
# page-size = "A5"
`;
}

const GITIGNORE = `# anthology's outputs and its build cache (both made again by anthology build)
dist/
.anthology-cache/
`;

function sampleArticle(now: Date): string {
  // The corpus's own format: Zola front matter with the translated title and the original's under `extra`.
  const date = now.toISOString().replace(/\.\d{3}Z$/, 'Z');
  return `---
title: "慢慢读"
date: ${date}
taxonomies:
  tags: [reading]
extra:
  original_title: "On Reading Slowly"
  author: Anthology Editors
  source: https://example.org/on-reading-slowly
  hostname: example.org
  original_lang: en
---

Each paragraph of an article is written twice: first the original, then its translation, as a
paragraph of its own right after it. anthology pairs them and lays them out side by side or one
after the other.

每篇文章的每一段都写两遍：先是原文，紧接着是它的译文，自成一段。anthology 会把它们配成对，并排或前后排列。

## Why read slowly

## 为什么要慢读

A slow reader notices how a sentence is built, where it turns, and what it leaves unsaid.

慢读的人会注意到一个句子是怎样搭起来的，在哪里转折，又留下了什么没有说。

- Read a paragraph aloud.
- 把一段读出声来。
- Then read its translation, and compare.
- 然后读它的译文，再作比较。

> Books must be read as deliberately and reservedly as they were written.
>
> 读书须像写书时那样从容而审慎。

Replace this article with your own: copy a clipped article's folder into content/, or write
one in this format. \`anthology pairs\` shows how each paragraph paired.

用你自己的文章替换这一篇：把剪藏的文章文件夹复制到 content/ 里，或按这个格式写一篇。\`anthology pairs\` 会显示每一段是怎样配对的。
`;
}
