/**
 * anthology's public API: `build()` runs the whole pipeline; the stages are exported for those
 * who want to run or test them one by one.
 */

export { articleBlocks } from './bilingual/index.js';
export { renderBlocks } from './bilingual/layout.js';
export {
  type BuildEvent,
  type BuildRequest,
  type BuildResult,
  build,
  createFormatContext,
  FORMATS,
} from './build.js';
export { collectBook, findMarkdownFiles, readArticleSource } from './collect/index.js';
export { compileBook, PASSES } from './compile/index.js';
export { type BuildOptions, type Config, layoutFor, loadConfig, type OutputFormat } from './config/index.js';
export { AnthologyError } from './errors.js';
export type { Format, FormatContext, OutputFile } from './formats/format.js';
export { toXhtml } from './markdown/xhtml.js';
export type * from './model.js';
export { describeArticle, formatPairsHuman } from './pairs/index.js';
export { loadTheme, type Theme } from './theme/index.js';
