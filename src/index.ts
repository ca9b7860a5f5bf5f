/**
 * anthology's public API: `build()` runs the whole pipeline; the stages are exported for those
 * who want to run or test them one by one.
 */
export { build, createFormatContext, FORMATS, type BuildEvent, type BuildRequest, type BuildResult } from './build.js';
export { loadConfig, layoutFor, type BuildOptions, type Config, type OutputFormat } from './config/index.js';
export { collectBook, readArticleSource, findMarkdownFiles } from './collect/index.js';
export { compileBook, PASSES } from './compile/index.js';
export { articleBlocks } from './bilingual/index.js';
export { renderBlocks } from './bilingual/layout.js';
export { describeArticle, formatPairsHuman } from './bilingual/report.js';
export { toXhtml } from './markdown/xhtml.js';
export type { Format, FormatContext, OutputFile } from './formats/format.js';
export { loadTheme, type Theme } from './theme/index.js';
export { AnthologyError } from './errors.js';
export type * from './model.js';
