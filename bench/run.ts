/**
 * `npm run bench`: runs every `bench/*.bench.ts` (each exports `main()`), in name order, or only
 * those named on the command line (`npm run bench -- epub`). Each prints its figures beside a
 * baseline measured in the same run: machines are noisy, ratios much less so.
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .sort()
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.ts$/, '')));

if (benches.length === 0) {
  console.error(`no benchmark matches ${wanted.join(', ')}`);
  process.exitCode = 2;
}
for (const file of benches) {
  console.log(`\n## ${file.replace(/\.bench\.ts$/, '')}`);
  const bench = (await import(pathToFileURL(`${here}/${file}`).href)) as { main: () => Promise<void> };
  await bench.main();
}
