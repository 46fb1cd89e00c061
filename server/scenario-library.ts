// Loads scenario files from disk. The server refuses to start on any invalid file rather than run a half-checked
// exercise, and names every problem so the author can fix them in one pass.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../shared/scenario.ts';
import { validateScenario, type Problem, type ValidationResult } from '../shared/scenario-validate.ts';

/** The generated JSON Schema lives next to the scenarios but is not one. */
export const SCHEMA_FILE = 'schema.json';

/** Reads and validates one file without throwing: for the CLI, which reports rather than stops. */
export function checkScenarioFile(path: string): ValidationResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    return { ok: false, problems: [{ path: '(file)', message: `cannot read the file: ${(err as Error).message}` }] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [{ path: '(file)', message: `not valid JSON: ${jsonError(text, err as Error)}` }] };
  }
  return validateScenario(json);
}

/** V8's message gives a character position; an editor wants the line and column, and the line itself. */
function jsonError(text: string, err: Error): string {
  const at = /at position (\d+)/.exec(err.message);
  // A file cut short ends at its last character.
  const pos = at ? Number(at[1]) : /end of JSON input/.test(err.message) ? text.trimEnd().length : null;
  if (pos === null) return err.message;
  const before = text.slice(0, pos).split('\n');
  const line = before.length;
  const column = before[before.length - 1].length + 1;
  const source = text.split('\n')[line - 1] ?? '';
  return `${err.message.replace(/\s*\(line \d+ column \d+\)/, '')} (line ${line}, column ${column}: ${source.trim().slice(0, 80)})`;
}

/** One `file: path: message` line per problem. */
export function formatProblems(file: string, problems: readonly Problem[]): string[] {
  return problems.map((p) => `${file}: ${p.path}: ${p.message}`);
}

function fail(lines: string[]): never {
  const n = lines.length;
  throw new Error(`invalid scenario${n === 1 ? '' : 's'} (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`);
}

export function loadScenarioFile(path: string): Scenario {
  const result = checkScenarioFile(path);
  if (!result.ok) fail(formatProblems(path, result.problems));
  return result.scenario;
}

/** Every `*.json` in `dir` except the schema, sorted so that messages come out in a stable order. */
export function listScenarioFiles(dir = 'scenarios'): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && name !== SCHEMA_FILE)
    .sort()
    .map((name) => join(dir, name));
}

/** The problem of a scenario id already taken by another file. */
export const duplicateId = (id: string, other: string): Problem => ({
  path: 'id',
  message: `duplicate scenario id "${id}" (also used by ${other}): give one of them another id`,
});

/**
 * id -> scenario and its file, for every scenario file of `dirs` in turn. Throws, listing every problem in every
 * file (an id used twice, in one directory or across them, included), if any is invalid.
 */
function readLibrary(dirs: readonly string[]): Map<string, { scenario: Scenario; file: string }> {
  const library = new Map<string, { scenario: Scenario; file: string }>();
  const lines: string[] = [];
  for (const file of dirs.flatMap((dir) => listScenarioFiles(dir))) {
    const result = checkScenarioFile(file);
    if (!result.ok) {
      lines.push(...formatProblems(file, result.problems));
      continue;
    }
    const { id } = result.scenario;
    const other = library.get(id);
    if (other) {
      lines.push(...formatProblems(file, [duplicateId(id, other.file)]));
      continue;
    }
    library.set(id, { scenario: result.scenario, file });
  }
  if (lines.length) fail(lines);
  return library;
}

const scenariosOf = (library: Map<string, { scenario: Scenario }>) =>
  new Map([...library].map(([id, x]) => [id, x.scenario]));

/** id -> scenario for every scenario file in `dir`. Throws, listing every problem in every file, if any is invalid. */
export function loadScenarioLibrary(dir = 'scenarios'): Map<string, Scenario> {
  return scenariosOf(readLibrary([dir]));
}

/** Every scenario of the given directories (the server's: scenarios/, then SCENARIO_DIR), no id used twice. */
export function loadScenarios(dirs: readonly string[]): Map<string, Scenario> {
  return scenariosOf(readLibrary(dirs));
}
