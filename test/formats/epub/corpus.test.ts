/**
 * The 40 real articles of ../shared/corpus as an EPUB (issue 4): every local image the articles
 * reference is in the book, none empty, none beyond the e-reader profile; no remote resource and no
 * network use; epubcheck 0/0/0 in the two bilingual layouts, all four with ANTHOLOGY_FULL_CHECKS=1
 * (the images and fonts from the corpus tests' shared cache; the epubchecks run two at a time).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findImageFile } from '../../../src/assets/images.js';
import type { BuildResult } from '../../../src/build.js';
import { ownPageFragment, pageKey } from '../../../src/compile/note-markers.js';
import { LAYOUTS, type LayoutName } from '../../../src/model.js';
import { articlesOf } from '../../../src/walk.js';
import { BookTest } from '../../book-test.js';
import { attr, documentElements, type XElement } from '../../dom.js';
import {
  CORPUS,
  CORPUS_CACHE,
  commandExists,
  FULL_CHECKS,
  HAVE_CORPUS,
  HAVE_EPUBCHECK,
} from '../../helpers.js';
import { readEpub } from '../../inspect.js';
import {
  badKoboSpans,
  cjkSpaces,
  cutNumberedHeadings,
  namesHoldingTwo,
  ownPageLinks,
  unspannedTexts,
} from '../../text-checks.js';

function markdownFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? markdownFiles(path) : name.endsWith('.md') ? [path] : [];
  });
}

/** Every local image file the articles reference (Markdown or HTML), found as the build would find it. */
function referencedImages(): Set<string> {
  const found = new Set<string>();
  for (const file of markdownFiles(CORPUS)) {
    const text = readFileSync(file, 'utf8');
    const srcs = [
      ...text.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g),
      ...text.matchAll(/<img\b[^>]*\ssrc=["']([^"']+)["']/gi),
    ].map((m) => m[1]!);
    for (const src of srcs) {
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(src)) continue;
      const hit = findImageFile(src, dirname(file), CORPUS);
      if (hit.kind === 'file') found.add(hit.path);
    }
  }
  return found;
}

function epubcheckAsync(file: string): Promise<string[]> {
  return new Promise((done) => {
    const child = spawn('java', ['-jar', '/usr/share/java/epubcheck.jar', file]);
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', () => done(out.split('\n').filter((l) => /^(FATAL|ERROR|WARNING)/.test(l))));
  });
}

// The two bilingual layouts carry every kind of markup; all four with ANTHOLOGY_FULL_CHECKS=1.
const CORPUS_LAYOUTS: readonly LayoutName[] = FULL_CHECKS ? LAYOUTS : ['interleaved', 'side-by-side'];

describe.skipIf(!HAVE_CORPUS)('the corpus as an EPUB', () => {
  let book: BookTest;
  const results = new Map<LayoutName, BuildResult>();
  const realFetch = globalThis.fetch;
  const fetched: string[] = [];

  beforeAll(async () => {
    book = BookTest.create('anthology-corpus-epub-').toml(
      `[book]\ntitle = "Clippings"\neditors = ["Test"]\n[content]\nfolder = ${JSON.stringify(CORPUS)}\n`,
    );
    // No network: any fetch fails the test (the cover's Chromium page is confined to local files).
    globalThis.fetch = (async (input: unknown) => {
      fetched.push(String(input));
      throw new Error('network use in a build');
    }) as typeof fetch;
    try {
      for (const layout of CORPUS_LAYOUTS) {
        results.set(
          layout,
          await book.build({
            out: join(book.dir, layout),
            // the kepub of one layout, for its sentence spans
            formats: layout === 'interleaved' ? ['epub', 'kepub'] : ['epub'],
            layout,
            cacheDir: CORPUS_CACHE,
          }),
        );
      }
    } finally {
      globalThis.fetch = realFetch;
    }
  }, 600_000);
  afterAll(() => book.remove());

  it('fetches nothing and lists no remote resource', () => {
    expect(fetched).toEqual([]);
    for (const result of results.values()) {
      const { files } = readEpub(result.files[0]!.path);
      expect(files['EPUB/content.opf']).not.toMatch(/<item [^>]*href="https?:/);
      expect(files['EPUB/content.opf']).not.toContain('remote-resources');
      for (const [name, text] of Object.entries(files))
        if (name.endsWith('.xhtml')) expect(text, name).not.toMatch(/<img\b[^>]*\ssrc="(https?:)?\/\//);
    }
  });

  it('holds every local image the articles reference, none empty, none beyond 1600 px', async () => {
    const result = results.get('interleaved')!;
    const wanted = referencedImages();
    expect(wanted.size).toBeGreaterThan(100);
    expect(new Set(result.book.assets.map((a) => resolve(a.path)))).toEqual(wanted);
    const { raw, files } = readEpub(result.files[0]!.path);
    const srcs = new Set(
      Object.entries(files).flatMap(([name, text]) =>
        name.endsWith('.xhtml')
          ? [...text.matchAll(/<img\b[^>]*\ssrc="([^"]+)"/g)].map((m) => `EPUB/${m[1]}`)
          : [],
      ),
    );
    expect(srcs.size).toBe(wanted.size);
    for (const entry of srcs) {
      const data = raw[entry];
      expect(data, entry).toBeDefined();
      expect(data!.length, entry).toBeGreaterThan(0);
      const meta = await sharp(data!).metadata();
      expect(Math.max(meta.width ?? 0, meta.pageHeight ?? meta.height ?? 0), entry).toBeLessThanOrEqual(1600);
      expect(meta.format, entry).toMatch(/^(jpeg|png|gif|svg)$/);
    }
  });

  it('has no image with a transparent pixel and none animated (the e-reader profile, for night modes and e-ink)', async () => {
    const { raw } = readEpub(results.get('interleaved')!.files[0]!.path);
    const images = Object.keys(raw).filter((n) => /\.(png|jpe?g|gif|webp)$/.test(n));
    expect(images.length).toBeGreaterThan(100);
    const transparent: string[] = [];
    for (const name of images) {
      if (!(await sharp(raw[name]!).stats()).isOpaque) transparent.push(name);
      expect((await sharp(raw[name]!).metadata()).pages ?? 1, name).toBe(1);
    }
    expect(transparent).toEqual([]);
  });

  it.skipIf(!HAVE_EPUBCHECK)(
    'passes epubcheck with no message in each layout',
    async () => {
      const files = CORPUS_LAYOUTS.map((l) => results.get(l)!.files[0]!.path);
      expect(files.every((f) => existsSync(f))).toBe(true);
      const checks: Record<string, string[]> = {};
      for (let i = 0; i < files.length; i += 2) {
        const pair = await Promise.all(files.slice(i, i + 2).map((f) => epubcheckAsync(f)));
        for (const [k, messages] of pair.entries()) checks[CORPUS_LAYOUTS[i + k]!] = messages;
      }
      expect(checks).toEqual(Object.fromEntries(CORPUS_LAYOUTS.map((l) => [l, []])));
    },
    300_000,
  );

  it('keeps to what Send to Kindle checks: XML declarations, languages, links, images, spine order, size, navigation depth', () => {
    for (const layout of CORPUS_LAYOUTS) {
      const file = results.get(layout)!.files[0]!.path;
      expect(statSync(file).size, layout).toBeLessThan(50 * 1024 * 1024);
      const { files } = readEpub(file);
      const opf = files['EPUB/content.opf']!;
      expect(opf).toMatch(/<dc:language>[a-z]{2,3}(-\w+)?<\/dc:language>/);
      const documents = Object.entries(files).filter(([name]) => name.endsWith('.xhtml'));
      const bodyIds = new Set<string>();
      for (const [name, xhtml] of documents) {
        expect(xhtml.startsWith('<?xml version="1.0" encoding="UTF-8"?>'), name).toBe(true);
        const body = documentElements(xhtml).find((e) => e.name === 'body')!;
        if (attr(body, 'id')) bodyIds.add(`${name.replace('EPUB/', '')}#${attr(body, 'id')}`);
        for (const img of documentElements(xhtml).filter((e) => e.name === 'img'))
          expect(attr(img, 'src'), name).toBeTruthy();
      }
      for (const [, xhtml] of documents)
        for (const a of documentElements(xhtml).filter((e) => e.name === 'a'))
          expect(bodyIds.has(attr(a, 'href') ?? '')).toBe(false);
      // The spine follows the navigation: every document the nav names, in the nav's order.
      const spine = [...opf.matchAll(/<itemref idref="([^"]+)"/g)].map((m) => m[1]!);
      const hrefOfId = new Map(
        [...opf.matchAll(/<item id="([^"]+)" href="([^"]+)"/g)].map((m) => [m[1]!, m[2]!]),
      );
      const navOrder = documentElements(files['EPUB/nav.xhtml']!)
        .filter((e) => e.name === 'a' && !attr(e, 'epub:type'))
        .map((e) => attr(e, 'href')!.split('#')[0]!);
      const spineHrefs = spine.map((id) => hrefOfId.get(id)!).filter((href) => navOrder.includes(href));
      expect(spineHrefs).toEqual([...new Set(navOrder)]);
      // Two levels of navigation at most: chapters and their articles.
      const depth = (e: XElement): number =>
        (e.name === 'ol' ? 1 : 0) +
        Math.max(0, ...e.children.map((c) => (c.type === 'element' ? depth(c) : 0)));
      const toc = documentElements(files['EPUB/nav.xhtml']!).find(
        (e) => e.name === 'nav' && attr(e, 'epub:type') === 'toc',
      )!;
      expect(depth(toc)).toBe(2);
    }
  });

  it('makes the clipped notes pop up and keeps links to an article’s own page in the book', () => {
    for (const layout of CORPUS_LAYOUTS) {
      const result = results.get(layout)!;
      const { files } = readEpub(result.files[0]!.path);
      const refsByHost = new Map<string, number>();
      for (const article of articlesOf(result.book)) {
        const page = pageKey(article.sourceLink);
        const elements = documentElements(files[`EPUB/${article.id}.xhtml`]!);
        const asides = new Set(
          elements
            .filter(
              (e) =>
                e.name === 'aside' &&
                attr(e, 'epub:type') === 'footnote' &&
                attr(e, 'role') === 'doc-footnote',
            )
            .map((e) => attr(e, 'id')),
        );
        for (const a of elements.filter((e) => e.name === 'a')) {
          const href = attr(a, 'href') ?? '';
          // the opener's link to the original is meant for the web (its source may name a section)
          if (href !== article.sourceLink)
            expect(ownPageFragment(href, page), `${layout} ${article.id} ${href}`).toBeUndefined();
          if (attr(a, 'epub:type') !== 'noteref') continue;
          expect(attr(a, 'role')).toBe('doc-noteref');
          expect(asides.has(href.slice(1)), `${layout} ${article.id} ${href}`).toBe(true);
          const host = new URL(article.sourceLink!).hostname;
          refsByHost.set(host, (refsByHost.get(host) ?? 0) + 1);
        }
      }
      // the note references clipped with their notes from four sites (both languages where both
      // have them: Paul Graham's translations keep his numbers as plain `[1]`)
      if (layout === 'interleaved' || layout === 'side-by-side') {
        expect(
          ['paulgraham.com', 'chreke.com', 'alexpearce.me', 'morepablo.com'].map((h) => refsByHost.get(h)),
          layout,
        ).toEqual([58, 20, 4, 2]);
      }
    }
  });

  /** The documents a reader pages through (the navigation document aside). */
  const documentsOf = (file: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(readEpub(file).files).filter(
        ([name]) => name.endsWith('.xhtml') && !name.endsWith('nav.xhtml'),
      ),
    );

  it('reads right: no space between Chinese characters, no link to an article’s own page, numbered headings whole, one name per contributor', () => {
    for (const layout of CORPUS_LAYOUTS) {
      const file = results.get(layout)!.files[0]!.path;
      const documents = documentsOf(file);
      expect(cjkSpaces(documents), layout).toEqual([]);
      expect(ownPageLinks(documents), layout).toEqual([]);
      expect(cutNumberedHeadings(documents), layout).toEqual([]);
      expect(namesHoldingTwo(readEpub(file).files['EPUB/content.opf']!), layout).toEqual([]);
    }
  });

  it('gives Kobo a sentence span on every text a reader sees, none a closing mark’s or punctuation’s alone', () => {
    const kepub = results.get('interleaved')!.files.find((f) => f.format === 'kepub')!.path;
    const documents = documentsOf(kepub);
    expect(unspannedTexts(documents)).toEqual([]);
    expect(badKoboSpans(documents)).toEqual([]);
    expect(
      Object.values(documents).reduce((n, xhtml) => n + (xhtml.match(/class="koboSpan"/g) ?? []).length, 0),
    ).toBeGreaterThan(15_000);
  });

  it.skipIf(!commandExists('ace') || !FULL_CHECKS)(
    'passes DAISY Ace: nothing critical or serious, nothing at all',
    () => {
      const report = join(book.dir, 'ace');
      spawnSync(
        'ace',
        ['--silent', '--force', '--outdir', report, results.get('interleaved')!.files[0]!.path],
        {
          env: {
            ...process.env,
            PUPPETEER_EXECUTABLE_PATH: process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium',
          },
          encoding: 'utf8',
        },
      );
      const json = JSON.parse(readFileSync(join(report, 'report.json'), 'utf8')) as {
        assertions: Array<{
          assertions: Array<{ 'earl:test': { 'earl:impact': string; 'dct:title': string } }>;
        }>;
      };
      const found = json.assertions.flatMap((a) =>
        a.assertions.map((t) => `${t['earl:test']['earl:impact']} ${t['earl:test']['dct:title']}`),
      );
      expect(found).toEqual([]);
    },
    600_000,
  );
});
