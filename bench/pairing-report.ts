/**
 * `npm run pairing-report -- [FOLDER] [--json] [--leaks]`: the pairing report of
 * bench/pairing.bench.ts (which `npm run bench` also runs) for one folder of articles.
 */
import { main } from './pairing.bench.js';

await main(process.argv.slice(2));
