/** EPUB/content.opf, the package document: metadata, manifest, spine and the EPUB 2 guide. */
import { encodeHref, NAV_HREF, NAV_ID, NCX_HREF, NCX_ID } from './ids.js';
import type { Checked, Landmark } from './manifest.js';
import { attr, text } from './xml.js';

export function opf(c: Checked): string {
  const { pkg } = c;
  const m = pkg.metadata;
  const meta: string[] = [];
  meta.push(`<dc:identifier id="pub-id">${text(m.identifier.trim())}</dc:identifier>`);
  meta.push(`<dc:title id="title">${text(m.title)}</dc:title>`);
  meta.push(`<meta refines="#title" property="title-type">main</meta>`);
  if (m.subtitle?.trim()) {
    meta.push(`<dc:title id="subtitle">${text(m.subtitle)}</dc:title>`);
    meta.push(`<meta refines="#subtitle" property="title-type">subtitle</meta>`);
  }
  for (const lang of c.languages) meta.push(`<dc:language>${text(lang)}</dc:language>`);
  m.creators.forEach((cr, i) => {
    const id = `creator-${i + 1}`;
    meta.push(`<dc:creator id="${id}">${text(cr.name)}</dc:creator>`);
    meta.push(`<meta refines="#${id}" property="role" scheme="marc:relators">${cr.role}</meta>`);
  });
  (m.contributors ?? []).forEach((cr, i) => {
    const id = `contributor-${i + 1}`;
    meta.push(`<dc:contributor id="${id}">${text(cr.name)}</dc:contributor>`);
    meta.push(`<meta refines="#${id}" property="role" scheme="marc:relators">${cr.role}</meta>`);
  });
  if (c.date) meta.push(`<dc:date>${c.date}</dc:date>`);
  meta.push(`<meta property="dcterms:modified">${c.modified}</meta>`);
  if (m.description?.trim()) meta.push(`<dc:description>${text(m.description)}</dc:description>`);
  if (m.publisher?.trim()) meta.push(`<dc:publisher>${text(m.publisher)}</dc:publisher>`);
  if (m.rights?.trim()) meta.push(`<dc:rights>${text(m.rights)}</dc:rights>`);
  for (const s of new Set(m.subjects.filter((s) => s.trim())))
    meta.push(`<dc:subject>${text(s)}</dc:subject>`);
  if (pkg.pageList) {
    // The print edition the page list follows (EPUB Accessibility: the source of the pagination).
    meta.push(
      `<dc:source id="page-source">${text(pkg.pageList.source)}</dc:source>`,
      `<meta refines="#page-source" property="source-of">pagination</meta>`,
    );
  }
  if (m.accessibility)
    meta.push(...accessibility(m.accessibility.summary, c.hasImages, Boolean(pkg.pageList)));
  if (c.coverId) meta.push(`<meta name="cover" content="${c.coverId}"/>`);

  const manifest = [
    `<item id="${NAV_ID}" href="${NAV_HREF}" media-type="application/xhtml+xml" properties="nav"/>`,
    `<item id="${NCX_ID}" href="${NCX_HREF}" media-type="application/x-dtbncx+xml"/>`,
    ...[...c.documents, ...c.resources].map(
      (i) =>
        `<item id="${i.id}" href="${attr(encodeHref(i.href))}" media-type="${attr(i.mediaType)}"` +
        (i.properties.length ? ` properties="${attr(i.properties.join(' '))}"` : '') +
        '/>',
    ),
  ];
  const spine = c.documents.map((d) => `<itemref idref="${d.id}"${d.linear ? '' : ' linear="no"'}/>`);
  const ppd = pkg.pageProgressionDirection
    ? ` page-progression-direction="${pkg.pageProgressionDirection}"`
    : '';
  const guide = guideReferences(pkg.landmarks);

  return `<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="pub-id" xml:lang="${attr(c.languages[0]!)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
${indent(meta, 4)}
  </metadata>
  <manifest>
${indent(manifest, 4)}
  </manifest>
  <spine toc="${NCX_ID}"${ppd}>
${indent(spine, 4)}
  </spine>
${guide.length ? `  <guide>\n${indent(guide, 4)}\n  </guide>\n` : ''}</package>
`;
}

function accessibility(summary: string, hasImages: boolean, hasPageList: boolean): string[] {
  const modes = hasImages ? ['textual', 'visual'] : ['textual'];
  const features = [
    'structuralNavigation',
    'tableOfContents',
    'readingOrder',
    ...(hasImages ? ['alternativeText'] : []),
    ...(hasPageList ? ['pageBreakMarkers', 'pageNavigation'] : []),
  ];
  return [
    ...modes.map((x) => `<meta property="schema:accessMode">${x}</meta>`),
    `<meta property="schema:accessModeSufficient">textual</meta>`,
    ...features.map((x) => `<meta property="schema:accessibilityFeature">${x}</meta>`),
    `<meta property="schema:accessibilityHazard">none</meta>`,
    `<meta property="schema:accessibilitySummary">${text(summary)}</meta>`,
    // What the passes guarantee for every book (images described or decorative, links named,
    // headings in order, roles matching epub:type), checked with DAISY Ace on the real corpus.
    `<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>`,
    `<meta property="a11y:certifiedBy">anthology</meta>`,
  ];
}

/** The EPUB 2 guide, for readers (old Kindles among them) that find the cover and the start there. */
function guideReferences(landmarks: Landmark[]): string[] {
  const types: Record<Landmark['type'], string | undefined> = {
    cover: 'cover',
    toc: 'toc',
    bodymatter: 'text',
    titlepage: 'title-page',
    frontmatter: undefined,
  };
  return landmarks.flatMap((l) => {
    const type = types[l.type];
    return type
      ? [`<reference type="${type}" title="${attr(l.title)}" href="${attr(encodeHref(l.href))}"/>`]
      : [];
  });
}

function indent(lines: string[], n: number): string {
  const pad = ' '.repeat(n);
  return lines.map((l) => pad + l).join('\n');
}
