/** The `hyphen` package ships no types; the subset anthology uses. */
declare module 'hyphen/en-us/index.js' {
  interface HyphenOptions {
    hyphenChar?: string;
    minWordLength?: number;
    exceptions?: string[];
  }
  const en: { hyphenateSync(text: string, options?: HyphenOptions): string };
  export default en;
}
