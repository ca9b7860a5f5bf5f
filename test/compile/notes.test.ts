import { afterAll, describe, expect, it } from 'vitest';
import { renderBlocks } from '../../src/bilingual/layout.js';
import { leadingMarker, ownPageFragment, pageKey } from '../../src/compile/note-markers.js';
import { readXhtml, writeXhtml } from '../../src/markdown/xhtml-tree.js';
import type { Article, Block, Book, NoteBlock } from '../../src/model.js';
import { articlesOf, mapBookSegments } from '../../src/walk.js';
import { BookTest } from '../book-test.js';
import { CORPUS, HAVE_CORPUS } from '../helpers.js';

const notesOf = (article: Article) => article.blocks.filter((b): b is NoteBlock => b.kind === 'note');
const htmlOf = (blocks: Block[]) =>
  renderBlocks(blocks, { layout: 'interleaved', order: 'original-first', headingBase: 2, xml: true });
const article = (book: Book, title: string) => articlesOf(book).find((a) => a.meta.title === title)!;

describe('note markers and pages', () => {
  it('reads the marker leading a note and what follows it', () => {
    const rest = (html: string) => {
      const m = leadingMarker(readXhtml(html));
      return m && [m.label, writeXhtml(m.rest)];
    };
    expect(rest('[1] The note.')).toEqual(['1', 'The note.']);
    expect(rest('12] A note split by clipping.')).toEqual(['12', 'A note split by clipping.']);
    expect(rest('1.^ 注释。')).toEqual(['1', '注释。']);
    expect(rest('[^a-b]: GitHub.')).toEqual(['a-b', 'GitHub.']);
    expect(rest('<a href="https://x.org/p#place1"><strong>^</strong></a> Back.')).toEqual([
      undefined,
      'Back.',
    ]);
    expect(
      rest(
        '<table><tbody><tr><td><a href="https://x.org/p#r1">[3]</a></td><td>See <em>it</em></td></tr></tbody></table>',
      ),
    ).toEqual(['3', 'See <em>it</em>']);
    expect(rest('In 1984] not a note')).toBeUndefined();
    expect(rest('Plain text.')).toBeUndefined();
  });
  it('knows a link to the same page whatever its scheme, www. or final slash', () => {
    const page = pageKey('https://www.example.com/essay/');
    expect(ownPageFragment('http://example.com/essay#f1n', page)).toBe('f1n');
    expect(ownPageFragment('https://example.com/essay/#What%20Is', page)).toBe('What Is');
    expect(ownPageFragment('https://example.com/other#f1n', page)).toBeUndefined();
    expect(ownPageFragment('https://example.com/essay/', page)).toBeUndefined();
  });
});

describe('the notes pass', () => {
  const book = BookTest.create('anthology-notes-')
    .article(
      '2023/01/github/index.md',
      [
        'The first claim of this article is a bold one.[^1] The second claim is bolder still.[^2]',
        '这篇文章的第一个说法很大胆。[^1]第二个说法更大胆。[^2]',
        '[^1]: The source of the first claim, in a few words.',
        // without a space: marked alone reads this as a link definition
        '[^1]: 第一个说法的出处，寥寥数语。',
        '[^3]: A note nothing refers to, in a few words.',
        '`code [^1] stays`',
      ].join('\n\n'),
      { title: 'GitHub' },
    )
    .article(
      '2023/01/essay/index.md',
      [
        'First point, long enough to be a paragraph. [[1](http://example.com/essay.html#f1n)]',
        '第一点，长得足以成为一个段落。[1]',
        'Second point.<sup><a href="https://example.com/essay.html#fn2">2</a></sup> Third.<sup><a href="https://example.com/essay.html#fn3">3</a></sup>',
        '第二点。<sup><a href="https://example.com/essay.html#fn2">2</a></sup>第三点。',
        '**Notes**',
        '**注释**',
        '[1] The first note, with [a link](https://example.org/).',
        '[1] 第一条注释。',
        '2.  [**^**](https://example.com/essay.html#ref2) The second note.',
        '    第二条注释。',
      ].join('\n\n'),
      { title: 'Essay', extra: { source: 'https://example.com/essay.html' } },
    )
    .article(
      '2023/01/plain/index.md',
      [
        'The first claim.\\[1\\] The second\\[2\\]\\[1\\], and `a[1]`, [a link [1]](https://example.org/) and a third[3].',
        '第一个说法。\\[1\\]第二个\\[2\\]\\[1\\]，以及 `a[1]`、[链接 [1]](https://example.org/) 和第三个[3]。',
        '- [1] The first note.',
        '- [1] 第一条注释。',
        '- [2] The second note.',
        '- [2] 第二条注释。',
      ].join('\n\n'),
      { title: 'Plain' },
    )
    .article(
      '2023/01/brackets/index.md',
      [
        'Arrays start at [0] or [1]; cite as Smith [42].',
        '数组从 [0] 或 [1] 开始；引用写作 Smith [42]。',
        '42. An item of a list numbered from forty-two.',
        '    从四十二开始编号的列表中的一项。',
      ].join('\n\n'),
      { title: 'Brackets' },
    );
  afterAll(() => book.remove());
  const compiled = book.compile();

  it('turns GitHub footnotes into notes at the article end, the translation paired with the note', () => {
    const a = article(compiled, 'GitHub');
    const [note, ...others] = notesOf(a);
    expect(others).toEqual([]);
    expect(note).toMatchObject({ label: '1', id: `${a.id}-note-1` });
    expect(a.blocks.at(-1)).toBe(note);
    expect(note!.blocks).toMatchObject([
      {
        kind: 'pair',
        original: { text: 'The source of the first claim, in a few words.' },
        translation: { text: '第一个说法的出处，寥寥数语。' },
      },
    ]);
    const html = htmlOf(a.blocks);
    expect(html).toContain(
      `<sup><a href="#${a.id}-note-1" id="${a.id}-noteref-1-1" epub:type="noteref" role="doc-noteref">1</a></sup>`,
    );
    // the number leads the note's first line, where following the reference lands
    expect(html).toContain(
      `<aside class="note" id="${a.id}-note-1" role="doc-footnote" epub:type="footnote"><div class="pair"><p class="original" lang="en" xml:lang="en"><span class="note-label" lang="zxx" xml:lang="zxx"><a href="#${a.id}-noteref-1-1" role="doc-backlink">1</a></span> The source of the first claim`,
    );
    expect(html).toContain('code [^1] stays');
    const codes = compiled.diagnostics.filter((d) => d.file.includes('github')).map((d) => d.code);
    expect(codes).toContain('note/unmatched'); // [^2]
    expect(codes).toContain('note/unreferenced'); // [^3]
    expect(html).toContain('bolder still.[^2]');
    expect(html).toContain('[^3]: A note nothing refers to');
  });

  it('matches clipped note references to the own page with the numbered note text after the last one', () => {
    const a = article(compiled, 'Essay');
    const notes = notesOf(a);
    expect(notes.map((n) => n.label)).toEqual(['1', '2']);
    expect(notes[0]!.blocks).toMatchObject([
      {
        kind: 'pair',
        original: { text: 'The first note, with a link.' },
        translation: { text: '第一条注释。' },
      },
    ]);
    // the translation's plain `[1]` leads to the same note
    expect(notes[0]!.backlinks).toEqual({
      original: `${a.id}-noteref-1-1`,
      translation: `${a.id}-noteref-1-2`,
    });
    expect(notes[1]!.blocks).toMatchObject([
      { kind: 'pair', original: { text: 'The second note.' }, translation: { text: '第二条注释。' } },
    ]);
    expect(notes[1]!.backlinks).toEqual({
      original: `${a.id}-noteref-2-1`,
      translation: `${a.id}-noteref-2-2`,
    });
    const html = htmlOf(a.blocks.filter((b) => b.kind !== 'note'));
    expect(html).toContain(
      `[<a href="#${a.id}-note-1" id="${a.id}-noteref-1-1" epub:type="noteref" role="doc-noteref">1</a>]`,
    );
    expect(html).not.toContain('#f1n');
    expect(html).not.toContain('<ol'); // the list of notes is gone from the text
    // 3 has no note: its number stays, as text, never a link to the web page; with a warning
    expect(html).toContain('Third.<sup>3</sup>');
    expect(html).not.toContain('#fn3');
    expect(compiled.diagnostics.filter((d) => d.file.includes('essay')).map((d) => d.code)).toEqual([
      'note/unmatched',
    ]);
  });

  it('makes plain-text markers with numbered notes at the end into notes, as linked ones', () => {
    const a = article(compiled, 'Plain');
    expect(notesOf(a).map((n) => [n.label, n.blocks[0]!.kind])).toEqual([
      ['1', 'pair'],
      ['2', 'pair'],
    ]);
    expect(notesOf(a)[1]!.backlinks).toEqual({
      original: `${a.id}-noteref-2-1`,
      translation: `${a.id}-noteref-2-2`,
    });
    expect(notesOf(a)[0]!.backlinks).toEqual({
      original: `${a.id}-noteref-1-1`,
      translation: `${a.id}-noteref-1-3`,
    });
    const html = htmlOf(a.blocks.filter((b) => b.kind !== 'note'));
    expect(html).toContain(
      `claim.<sup><a href="#${a.id}-note-1" id="${a.id}-noteref-1-1" epub:type="noteref" role="doc-noteref">1</a></sup>`,
    );
    expect(html).toContain(`说法。<sup><a href="#${a.id}-note-1"`);
    // two in a row; not in code or a link's text; a number without a note stays, said once
    expect(html).toContain(`second<sup><a href="#${a.id}-note-2"`);
    expect(html).toContain(`</a></sup><sup><a href="#${a.id}-note-1" id="${a.id}-noteref-1-2"`);
    expect(html).toContain('<code>a[1]</code>, <a href="https://example.org/">a link [1]</a>');
    expect(html).toContain('third[3].');
    expect(html).not.toContain('<ul');
    expect(compiled.diagnostics.filter((d) => d.file.includes('plain')).map((d) => d.code)).toEqual([
      'note/unmatched',
    ]);
  });

  it('leaves bracketed numbers alone where no note marked so follows them', () => {
    const a = article(compiled, 'Brackets');
    expect(notesOf(a)).toEqual([]);
    expect(htmlOf(a.blocks)).toContain('Arrays start at [0] or [1]; cite as Smith [42].');
    expect(htmlOf(a.blocks)).toContain('<ol start="42">');
    expect(
      compiled.diagnostics.filter((d) => d.file.includes('brackets') && d.code.startsWith('note/')),
    ).toEqual([]);
  });

  it('prints notes without epub:type outside the EPUB', () => {
    const a = article(compiled, 'Essay');
    const html = renderBlocks(a.blocks, { layout: 'translation', order: 'original-first', headingBase: 2 });
    expect(html).toContain(
      `<aside class="note" id="${a.id}-note-2" role="doc-footnote"><p class="translation" lang="zh" xml:lang="zh"><span class="note-label" lang="zxx" xml:lang="zxx"><a href="#${a.id}-noteref-2-2" role="doc-backlink">2</a></span> 第二条注释。</p>`,
    );
    expect(html).toContain(
      `<aside class="note" id="${a.id}-note-1" role="doc-footnote"><p class="translation" lang="zh" xml:lang="zh"><span class="note-label" lang="zxx" xml:lang="zxx"><a href="#${a.id}-noteref-1-2" role="doc-backlink">1</a></span> 第一条注释。</p>`,
    );
  });

  it('sets the number alone only before a note that starts with no paragraph', () => {
    const note = (blocks: Block[]): NoteBlock => ({
      kind: 'note',
      id: 'n-note-1',
      label: '1',
      line: 1,
      blocks,
      backlinks: {},
    });
    const segment = (lang: string, html: string) => ({ lang, html, text: html });
    const code: Block = {
      kind: 'single',
      type: 'code',
      line: 1,
      segment: segment('zxx', '<pre><code>x</code></pre>'),
    };
    const paragraph: Block = {
      kind: 'single',
      type: 'paragraph',
      line: 2,
      segment: segment('en', 'Then text.'),
    };
    const list: Block = { kind: 'list', ordered: false, line: 1, items: [{ line: 1, blocks: [paragraph] }] };
    expect(htmlOf([note([code, paragraph])])).toBe(
      '<aside class="note" id="n-note-1" role="doc-footnote" epub:type="footnote"><p class="note-label" lang="zxx" xml:lang="zxx">1</p><pre class="single code" lang="zxx" xml:lang="zxx"><code>x</code></pre><p class="single" lang="en" xml:lang="en">Then text.</p></aside>',
    );
    expect(htmlOf([note([list])])).toBe(
      '<aside class="note" id="n-note-1" role="doc-footnote" epub:type="footnote"><ul><li><p class="single" lang="en" xml:lang="en"><span class="note-label" lang="zxx" xml:lang="zxx">1</span> Then text.</p></li></ul></aside>',
    );
  });
});

describe.skipIf(!HAVE_CORPUS)('the notes of the corpus', () => {
  const book = BookTest.create('anthology-notes-corpus-').toml(
    `[book]\ntitle = "Clippings"\n[content]\nfolder = ${JSON.stringify(CORPUS)}\n`,
  );
  afterAll(() => book.remove());

  it('makes the clipped references of four sites (and their translations’ plain [1]) in-book note references', () => {
    const compiled = book.compile();
    const refs = new Map<string, number>();
    mapBookSegments(compiled, (segment, a) => {
      const ids = new Set(notesOf(a).map((n) => n.id));
      for (const m of segment.html.matchAll(
        /<a href="#([^"]+)" id="[^"]+" epub:type="noteref" role="doc-noteref">/g,
      )) {
        expect(ids).toContain(m[1]);
        const host = new URL(a.sourceLink!).hostname;
        refs.set(host, (refs.get(host) ?? 0) + 1);
      }
      return segment;
    });
    expect(
      Object.fromEntries(
        ['paulgraham.com', 'chreke.com', 'alexpearce.me', 'morepablo.com'].map((h) => [h, refs.get(h)]),
      ),
    ).toEqual({ 'paulgraham.com': 58, 'chreke.com': 20, 'alexpearce.me': 4, 'morepablo.com': 2 });
    // every note is reached from the text
    for (const a of articlesOf(compiled))
      for (const note of notesOf(a))
        expect(note.backlinks.original ?? note.backlinks.translation).toBeDefined();
  }, 120_000);
});
