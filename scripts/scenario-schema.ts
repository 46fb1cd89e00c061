// Writes scenarios/schema.json from the zod schema, so that editors can complete and check scenario files.
// Usage: npm run scenario:schema            (rewrite the file)
//        npm run scenario:schema -- --check (exit 1 if the file on disk is out of date; for CI)
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import {
  Action,
  Condition,
  Effect,
  Ending,
  Exposure,
  Inject,
  Meter,
  Rules,
  Scenario,
  Team,
} from '../shared/scenario.ts';

const target = fileURLToPath(new URL('../scenarios/schema.json', import.meta.url));

// Names and one-line help for the main parts, so editors show "Action" rather than "__schema3" and explain on hover.
// Kept here rather than in shared/scenario.ts so the runtime schema stays free of documentation-only metadata.
const parts = z.registry<{ id: string; description: string }>();
parts.add(Condition, {
  id: 'Condition',
  description:
    'Structured test, never a string: exactly one of all, any, not, meter, round, pairs, dealsBroken, exposed.',
});
parts.add(Effect, {
  id: 'Effect',
  description:
    'A change to one meter (0-100, clamped). scaleBy multiplies delta by (1 - meter/100 x factor); delay defers it ' +
    'by whole reveals.',
});
parts.add(Exposure, {
  id: 'Exposure',
  description:
    'How a covert action can come to light: chance per reveal plus modifiers per meter point, for `window` reveals; ' +
    'effects apply on exposure.',
});
parts.add(Action, { id: 'Action', description: "A move on one team's menu, usable once its tier is open." });
parts.add(Inject, {
  id: 'Inject',
  description: 'An event: scheduled (published in its round) or contingency (fired by the White Cell).',
});
parts.add(Meter, {
  id: 'Meter',
  description: 'A 0-100 gauge on the board; visibleTo limits who sees it (the White Cell sees all).',
});
parts.add(Team, { id: 'Team', description: 'A player team with its briefings, objectives and fact cards.' });
parts.add(Ending, {
  id: 'Ending',
  description: 'Checked at each reveal in file order; the first whose condition holds ends the game.',
});
parts.add(Rules, {
  id: 'Rules',
  description: 'How deals turn the wheel: pair momentum and trust, friction, tiers, slots, intel.',
});

function renderSchema(): string {
  // "input": authors may leave out fields that have defaults (covert, relief, notes, ...).
  const generated = z.toJSONSchema(Scenario, { io: 'input', metadata: parts }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  const schema = {
    $schema,
    title: 'Flywheel scenario',
    description:
      'A tabletop exercise for the Flywheel server. Generated from shared/scenario.ts by `npm run scenario:schema`; ' +
      'do not edit by hand.',
    ...rest,
  };
  return `${JSON.stringify(schema, null, 2)}\n`;
}

const fresh = renderSchema();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    // a missing file is as stale as it gets
  }
  if (current !== fresh) {
    console.log(`${target} is out of date: run npm run scenario:schema`);
    process.exit(1);
  }
  console.log(`ok ${target}`);
} else {
  writeFileSync(target, fresh);
  console.log(`wrote ${target}`);
}
