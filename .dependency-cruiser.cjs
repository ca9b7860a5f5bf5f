/**
 * The arrows of DESIGN.md, checked at file level by `npm run check` (dependency-cruiser).
 * Arrows point down only: cli -> build -> formats -> (theme, assets, browser) -> model.
 */
const LOWER =
  '^src/(theme|assets|browser|markdown|bilingual|collect|config|compile|model\\.ts|text\\.ts|errors\\.ts|lazy\\.ts|walk\\.ts|fs/)';
/** The formats a format may build on (their exported functions, DESIGN.md "Never"); `*`: every other. */
const BUILDS_ON = { '*': [], kepub: ['epub'], press: ['pdf'], cover: ['pdf', 'press'], booklet: ['pdf'] };

module.exports = {
  forbidden: [
    {
      name: 'no-cycle',
      comment: 'A file cycle makes a module half-initialised on import and the layers meaningless.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...Object.entries(BUILDS_ON).map(([format, bases]) => ({
      name: `formats-apart-${format}`,
      comment: `formats/${format} may build on ${bases.join(', ') || 'no other format'} only (DESIGN.md, "Never").`,
      severity: 'error',
      from: {
        path: format === '*' ? '^src/formats/([^/]+)/' : `^src/formats/${format}/`,
        pathNot:
          format === '*'
            ? `^src/formats/(${Object.keys(BUILDS_ON)
                .filter((f) => f !== '*')
                .join('|')})/`
            : undefined,
      },
      to: {
        path: '^src/formats/[^/]+/',
        pathNot: format === '*' ? '^src/formats/$1/' : `^src/formats/(${[format, ...bases].join('|')})/`,
      },
    })),
    {
      name: 'lower-layers-stay-below',
      comment: 'The stages below the formats never import a format, the build, the CLI or the preview.',
      severity: 'error',
      from: { path: LOWER },
      to: { path: '^src/(formats|build\\.ts|cli\\.ts|preview|scaffold|pairs|incremental|watch)' },
    },
    {
      name: 'fs-at-the-bottom',
      comment: 'fs/ is below every stage: it may import errors.ts and nothing else of src/.',
      severity: 'error',
      from: { path: '^src/fs/' },
      to: { path: '^src/', pathNot: '^src/(fs/|errors\\.ts$)' },
    },
    {
      name: 'pure-stages-do-no-io',
      comment: 'markdown/ and bilingual/ turn text into blocks: no files, processes, network or browser.',
      severity: 'error',
      from: { path: '^src/(markdown|bilingual)/' },
      to: {
        path: '^(fs|node:fs|fs/promises|node:fs/promises|child_process|node:child_process|net|node:net|http|node:http|https|node:https)$|puppeteer',
      },
    },
    {
      name: 'pure-stages-know-no-theme',
      comment: 'markdown/ and bilingual/ know neither templates nor assets nor the browser.',
      severity: 'error',
      from: { path: '^src/(markdown|bilingual)/' },
      to: { path: '^src/(theme|browser|assets)/' },
    },
    {
      name: 'no-undeclared-package-in-src',
      comment:
        'What src/ imports ships: a dependency (installed with the package) or a devDependency (inlined by scripts/bundle.mjs; test/package.test.ts checks which must be which).',
      severity: 'error',
      from: { path: '^src/' },
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown', 'undetermined'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: 'builtin-templates\\.cjs$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
  },
};
