// Checks scenario files and prints `ok <file>` or one `file: path: message` line per problem.
// Usage: npm run scenario:check [-- file.json ...]   (default: every scenario in scenarios/). Exits 1 if any fails.
// Beyond the schema and cross-references, it plays one idle game per variant through the engine: a team that scores
// full marks when nobody does anything has objectives that reward absence (server/sim/idle-check.ts).
import { checkScenarioFile, formatProblems, listScenarioFiles } from '../server/scenario-library.ts';
import { idleFullScores } from '../server/sim/idle-check.ts';

const files = process.argv.slice(2);
const targets = files.length ? files : listScenarioFiles('scenarios');
let failed = 0;
for (const file of targets) {
  const result = checkScenarioFile(file);
  const idle = result.ok ? idleFullScores(result.scenario) : [];
  if (result.ok && idle.length === 0) {
    console.log(`ok ${file}`);
  } else if (result.ok) {
    failed += 1;
    for (const x of idle) {
      const under = Object.entries(x.variants).map(([t, v]) => `${t}=${v}`);
      console.log(
        `${file}: teams.${x.team}.objectives: a game where nobody acts (ending "${x.ending}"${
          under.length ? `, ${under.join(', ')}` : ''
        }) scores ${x.total}, full marks: give the team an objective it must work for`,
      );
    }
  } else {
    failed += 1;
    for (const line of formatProblems(file, result.problems)) console.log(line);
  }
}
if (targets.length === 0) console.log('no scenario files found');
process.exit(failed > 0 || targets.length === 0 ? 1 : 0);
