// Checks scenario files and prints `ok <file>` or one `file: path: message` line per problem.
// Usage: npm run scenario:check [-- file.json ...]   (default: every scenario in scenarios/). Exits 1 if any fails.
import { checkScenarioFile, formatProblems, listScenarioFiles } from '../server/scenario-library.ts';

const files = process.argv.slice(2);
const targets = files.length ? files : listScenarioFiles('scenarios');
let failed = 0;
for (const file of targets) {
  const result = checkScenarioFile(file);
  if (result.ok) {
    console.log(`ok ${file}`);
  } else {
    failed += 1;
    for (const line of formatProblems(file, result.problems)) console.log(line);
  }
}
if (targets.length === 0) console.log('no scenario files found');
process.exit(failed > 0 || targets.length === 0 ? 1 : 0);
