/**
 * The EPUB 3 packer: rendered XHTML documents, resources and metadata in, the bytes of a valid
 * EPUB out (with an NCX for older readers). Pure and deterministic: the same package gives the
 * same bytes (fixed zip dates, fixed entry order, ids derived from the input only).
 *
 * Why not epub-gen-memory (measured in issue 2): it turns every non-ASCII character into a numeric
 * entity, drops attributes it does not know, keeps <script>, fetches http images, writes a flat
 * table of contents with no landmarks, hard-codes xml:lang="en" in the OPF and uses random ids and
 * the current time, so its output is neither right for a bilingual book nor reproducible. What it
 * does for us (an OPF, a nav, an NCX and a zip) is small enough to write here on node:zlib.
 *
 * Layout of the archive:
 *   mimetype                  stored, first, no extra field
 *   META-INF/container.xml
 *   EPUB/content.opf          every href below is relative to EPUB/
 *   EPUB/nav.xhtml            the EPUB 3 navigation document (toc + hidden landmarks), not in the spine
 *   EPUB/toc.ncx              the EPUB 2 table of contents
 *   EPUB/<documents>          in spine order
 *   EPUB/<resources>          in the order given
 *
 * The package is checked and given its final ids in manifest.ts (ids and hrefs: ids.ts), the
 * package document written in opf.ts, the navigation document and the NCX in navigation.ts, the
 * archive in zip.ts.
 */
import { promisify } from 'node:util';
import { deflateRaw, deflateRawSync } from 'node:zlib';
import { type Cache, cacheKey } from '../../assets/cache.js';
import { writeFileAtomically } from '../../fs/atomic.js';
import { NAV_HREF, NCX_HREF, OPF_DIR } from './ids.js';
import { type Checked, check, type EpubPackage, utf8 } from './manifest.js';
import { nav, ncx } from './navigation.js';
import { opf } from './opf.js';
import { DEFLATE, member, type ZipEntry, zip } from './zip.js';

/** Pack an EPUB 3 (with NCX) into bytes. Same input, same bytes. Throws an Error on an invalid package. */
export function packEpub(pkg: EpubPackage): Uint8Array {
  return zip(
    zipEntries(check(pkg)).map(([path, data, level]) =>
      member(path, data, level === 0 ? undefined : deflateRawSync(data, { level })),
    ),
  );
}

/**
 * Pack and write atomically: on any error the previous `outFile` (if any) is left untouched.
 * The same bytes as packEpub, made faster: entries are deflated at once on the thread pool, and
 * with a `cache`, a large entry's deflated bytes are kept (a book's font subsets are megabytes that
 * rarely change: deflating them took a hundred milliseconds of every build).
 */
export async function writeEpub(pkg: EpubPackage, outFile: string, cache?: Cache): Promise<void> {
  const entries = zipEntries(check(pkg)); // fails before any file is opened
  const members = await Promise.all(
    entries.map(async ([path, data, level]) =>
      member(path, data, level === 0 ? undefined : await deflatedOf(data, level, cache)),
    ),
  );
  await writeFileAtomically(outFile, zip(members));
}

/** The archive's entries in order: the mimetype first and stored, then the package documents, the documents and the resources. */
function zipEntries(c: Checked): ZipEntry[] {
  return [
    ['mimetype', utf8('application/epub+zip'), 0],
    ['META-INF/container.xml', utf8(container()), DEFLATE],
    [`${OPF_DIR}/content.opf`, utf8(opf(c)), DEFLATE],
    [`${OPF_DIR}/${NAV_HREF}`, utf8(nav(c)), DEFLATE],
    [`${OPF_DIR}/${NCX_HREF}`, utf8(ncx(c)), DEFLATE],
    ...[...c.documents, ...c.resources].map((i): ZipEntry => [`${OPF_DIR}/${i.href}`, i.data, i.level]),
  ];
}

const deflateRawAsync = promisify(deflateRaw);
/** Entries from this size on are worth a cache entry (hashing them costs far less than deflating them). */
const CACHED_DEFLATE_BYTES = 64 * 1024;

async function deflatedOf(
  data: Uint8Array,
  level: typeof DEFLATE,
  cache: Cache | undefined,
): Promise<Uint8Array> {
  if (!cache || data.byteLength < CACHED_DEFLATE_BYTES) return deflateRawAsync(data, { level });
  // zlib's version in the key: another zlib may deflate the same bytes differently
  const key = cacheKey(`deflate-raw/${level}/zlib-${process.versions.zlib}`, data);
  const kept = await cache.get('deflated', key, '.bin');
  if (kept) return kept;
  const body = await deflateRawAsync(data, { level });
  await cache.put('deflated', key, '.bin', body);
  return body;
}

function container(): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="${OPF_DIR}/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
`;
}
