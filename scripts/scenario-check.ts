// Checks scenario files and prints `ok <file>` or one `file: path: message` line per problem.
// Usage: npm run scenario:check [-- file.json ...]   (default: every scenario the server would load: scenarios/, and
// SCENARIO_DIR when it is set). Exits 1 if any fails.
// Beyond the schema and cross-references, it plays one idle game per variant through the engine: a team that scores
// full marks when nobody does anything has objectives that reward absence (server/sim/idle-check.ts). And no two
// scenarios may share an id: not two of the files checked, nor one of them and one the server would load beside it.
import { resolve } from 'node:path';
import { checkScenarioFile, duplicateId, formatProblems, listScenarioFiles } from '../server/scenario-library.ts';
import { idleFullScores } from '../server/sim/idle-check.ts';

const dirs = ['scenarios', ...(process.env.SCENARIO_DIR ? [process.env.SCENARIO_DIR] : [])];
const files = process.argv.slice(2);
const targets = files.length ? files : dirs.flatMap((dir) => listScenarioFiles(dir));

/** The ids of the files the server would load beside the ones checked, by file. */
const checked = new Set(targets.map((f) => resolve(f)));
const ids = new Map<string, string>();
for (const file of dirs.flatMap((dir) => listScenarioFiles(dir))) {
  if (checked.has(resolve(file))) continue;
  const r = checkScenarioFile(file);
  if (r.ok && !ids.has(r.scenario.id)) ids.set(r.scenario.id, file);
}

let failed = 0;
for (const file of targets) {
  const result = checkScenarioFile(file);
  const other = result.ok ? ids.get(result.scenario.id) : undefined;
  if (result.ok && !other) ids.set(result.scenario.id, file);
  const problems = !result.ok ? result.problems : other ? [duplicateId(result.scenario.id, other)] : [];
  const idle = result.ok && !other ? idleFullScores(result.scenario) : [];
  if (problems.length) {
    failed += 1;
    for (const line of formatProblems(file, problems)) console.log(line);
  } else if (idle.length) {
    failed += 1;
    for (const x of idle) {
      const under = Object.entries(x.variants).map(([t, v]) => `${t}=${v}`);
      console.log(
        `${file}: teams.${x.team}.objectives: a game where nobody acts (ending "${x.ending}"${
          under.length ? `, ${under.join(', ')}` : ''
        }) scores ${x.total}, full marks: give the team an objective it must work for`,
      );
    }
  } else console.log(`ok ${file}`);
}
if (targets.length === 0) console.log('no scenario files found');
process.exit(failed > 0 || targets.length === 0 ? 1 : 0);
