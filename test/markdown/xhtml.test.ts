import { describe, expect, it } from 'vitest';
import { compileBook } from '../../src/compile/index.js';
import { loadConfig } from '../../src/config/index.js';
import { toXhtml } from '../../src/markdown/xhtml.js';
import { readXhtml, writeXhtml } from '../../src/markdown/xhtml-tree.js';
import { articlesOf, segmentsOf } from '../../src/walk.js';
import { CORPUS, HAVE_CORPUS } from '../helpers.js';
import { xmlProblems } from '../xml-check.js';

describe('toXhtml', () => {
  it('closes void elements, quotes attributes and resolves entities', () => {
    const out = toXhtml('<p>a<br>b &nbsp;&copy; &amp; <img src=x.png></p><hr>');
    expect(out).toBe('<p>a<br/>b \u00a0© &amp; <img src="x.png" alt=""/></p><hr/>');
    expect(xmlProblems(out)).toEqual([]);
  });

  it('repairs mis-nesting like a browser', () => {
    const out = toXhtml('<p><b>bold <i>both</b> italic</i></p><p>open');
    expect(xmlProblems(out)).toEqual([]);
    expect(out).toContain('<b>bold <i>both</i></b>');
  });

  it('drops scripts, frames, handlers, style and javascript: URLs', () => {
    const dirty =
      '<p onclick="evil()" style="color:red" data-x="1">hi<script>alert(1)</script></p>' +
      '<iframe src="https://x"></iframe><object data=x></object><embed src=x><form><input name=a>text</form>' +
      '<a href="javascript:alert(1)">j</a><a href=" JaVa\tScRiPt:alert(1)">k</a><a href="vbscript:x">v</a>' +
      '<img src="data:text/html;base64,AAA" alt=a><img src="data:image/png;base64,AAA"><style>p{}</style>' +
      '<svg><script>alert(1)</script></svg><noscript>n</noscript><link rel=stylesheet href=x><meta charset=utf-8>';
    const out = toXhtml(dirty);
    for (const bad of [
      '<script',
      'alert',
      'onclick',
      'style=',
      '<iframe',
      '<object',
      '<embed',
      '<form',
      '<input',
      'javascript',
      'vbscript',
      'data:text',
      '<svg',
      '<noscript',
      '<link',
      '<meta',
      'data-x',
    ]) {
      expect(out.toLowerCase()).not.toContain(bad.toLowerCase());
    }
    expect(out).toContain('<img src="data:image/png;base64,AAA" alt=""/>');
    expect(out).toContain('text');
    expect(xmlProblems(out)).toEqual([]);
  });

  it('unwraps unknown elements and strips attributes EPUB forbids from tables', () => {
    const out = toXhtml(
      '<custom-el>kept <font color=red>text</font></custom-el><table border=1 width="100%" align=center><colgroup><col width=30><col></colgroup><tr><td align=left colspan=2>c</td></tr></table>',
    );
    expect(out).toBe(
      'kept text<table><colgroup><col/><col/></colgroup><tbody><tr><td colspan="2">c</td></tr></tbody></table>',
    );
  });

  it('keeps relative and remote links and images as written', () => {
    const out = toXhtml(
      '<a href="../x/y.html#a" title="t">l</a><img src="img/a b.png" alt="A" width="20" height="x">',
    );
    expect(out).toBe('<a href="../x/y.html#a" title="t">l</a><img src="img/a b.png" alt="A" width="20"/>');
  });

  it('keeps ol start and escapes text', () => {
    expect(toXhtml('<ol start="3"><li>a &lt; b</li></ol>')).toBe('<ol start="3"><li>a &lt; b</li></ol>');
    expect(toXhtml('plain & <simple>')).toBe('plain &amp; ');
    expect(toXhtml('1 < 2')).toBe('1 &lt; 2');
  });
});

describe('the tree of a segment', () => {
  it('reads exactly what the serialiser writes, and writes it back the same', () => {
    const samples = [
      toXhtml(
        '<p>Some <a href="https://x?a=1&amp;b=2" title="a &quot;b&quot;">text</a> &lt;raw&gt; <img src="a.png" alt="x &amp; y"><br>end</p>',
      ),
      toXhtml('<table><tr><td colspan="2">中文 &amp; more</td></tr></table>'),
      'plain text, no markup',
    ];
    for (const s of samples) expect(writeXhtml(readXhtml(s))).toBe(s);
  });

  it('refuses what it did not write', () => {
    expect(() => readXhtml('<p>unclosed')).toThrow(/unclosed/);
    expect(() => readXhtml('<p>a</b>')).toThrow(/unbalanced/);
    expect(() => readXhtml("<a href='single'>x</a>")).toThrow(/not anthology's XHTML/);
  });

  it.skipIf(!HAVE_CORPUS)('round-trips every segment of the corpus', () => {
    const book = compileBook(loadConfig({ bookDir: CORPUS, content: CORPUS }));
    let n = 0;
    for (const article of articlesOf(book)) {
      for (const segment of segmentsOf(article.blocks)) {
        n++;
        expect(writeXhtml(readXhtml(segment.html)), article.source).toBe(segment.html);
      }
    }
    expect(n).toBeGreaterThan(5000);
  });
});
