// Properties over random games: the log replays to the identical state, and no view or error ever carries another
// team's secret. fast-check runs with a pinned seed (FC_SEED overrides it) and prints the seed on failure.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { mini } from '../../fixtures/mini-scenario.ts';
import { Game } from '../../helpers/engine.ts';
import { randomStep } from '../../helpers/random-play.ts';
import { leakedMarkers } from '../../helpers/leaks.ts';
import { Dice } from '../../../server/engine/dice.ts';
import {
  audiences,
  changedSections,
  decide,
  fold,
  isDomainError,
  SECTIONS,
  viewFor,
  wireView,
  olderReveals,
  catalogueFor,
  archivedEntries,
} from '../../../server/engine/index.ts';
import { withArchive, withCatalogue, type Archive } from '../../../shared/protocol.ts';
import { contentHash } from '../../../shared/hash.ts';
import type { Audience } from '../../../server/engine/index.ts';

const seed = Number(process.env.FC_SEED ?? 20221228);
const runs = Number(process.env.FC_RUNS ?? 30);

function play(
  gameSeed: number,
  steps: number,
  check: (g: Game, error: string | null, actorTeam: string | null) => void,
) {
  const g = new Game(mini, { seed: gameSeed, autoApprove: gameSeed % 3 === 0 });
  g.seatAll(['us', 'dprk', 'prc']);
  const d = new Dice(gameSeed >>> 0);
  for (let i = 0; i < steps; i++) {
    const step = randomStep(g.state, d);
    g.advance(step.advanceMs);
    const before = JSON.stringify(g.state);
    const err = g.try(step.actor, step.command);
    if (err) assert.is(JSON.stringify(g.state), before, `a refused ${step.command.type} changed the state`);
    check(
      g,
      err ? `${err.code} ${err.message}` : null,
      step.actor.kind === 'team' ? step.actor.team : step.actor.kind === 'observer' ? 'observer' : null,
    );
  }
  return g;
}

function property(name: string, body: (gameSeed: number, steps: number) => void) {
  test(name, () => {
    const result = fc.check(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.integer({ min: 20, max: 220 }), (s, n) => {
        body(s, n);
      }),
      { seed, numRuns: runs },
    );
    if (result.failed) {
      throw new Error(
        `${name}: counterexample ${JSON.stringify(result.counterexample)}; fast-check seed ${seed} (rerun with ` +
          `FC_SEED=${seed})\n${String(result.errorInstance)}`,
      );
    }
  });
}

property('replaying the log gives the live state byte for byte', (gameSeed, steps) => {
  const g = play(gameSeed, steps, () => {});
  assert.is(JSON.stringify(fold(g.log)), JSON.stringify(g.state));
  // And replay is stable from any prefix snapshot taken through JSON (what a store keeps).
  const cut = Math.floor(g.log.length / 2);
  const snap = JSON.parse(JSON.stringify(fold(g.log.slice(0, cut))));
  assert.is(JSON.stringify(fold(g.log.slice(cut), snap)), JSON.stringify(g.state));
});

property("no view or error gives a team or an observer another team's secret", (gameSeed, steps) => {
  play(gameSeed, steps, (g, error, actorTeam) => {
    for (const team of ['us', 'dprk', 'prc']) {
      const leaks = leakedMarkers(g.state, team, JSON.stringify(viewFor(g.state, { kind: 'team', team })));
      assert.equal(leaks, [], `${team} sees ${leaks.join(', ')} in phase ${g.state.phase}`);
    }
    const obs = JSON.stringify(viewFor(g.state, { kind: 'observer' }));
    assert.equal(leakedMarkers(g.state, 'observer', obs), [], 'observer view leaks');
    // What goes over the wire besides: the paged view, every older reveal asked for, and the catalogue.
    for (const viewer of ['us', 'dprk', 'prc', 'observer']) {
      const a: Audience = viewer === 'observer' ? { kind: 'observer' } : { kind: 'team', team: viewer };
      for (const [what, payload] of [
        ['wire view', wireView(g.state, a)],
        ['older reveals', olderReveals(g.state, a, 1000)],
        ['catalogue', catalogueFor(g.state, a)],
        // Asked for every deal and inject of the game by id, named to this seat or not.
        ['earlier deals', archivedEntries(g.state, a, 'deals', Object.keys(g.state.deals))],
        ['earlier injects', archivedEntries(g.state, a, 'injects', Object.keys(g.state.injects))],
      ] as const) {
        const leaks = leakedMarkers(g.state, viewer, JSON.stringify(payload));
        assert.equal(leaks, [], `${viewer}'s ${what} leaks ${leaks.join(', ')} in phase ${g.state.phase}`);
      }
    }
    if (error && actorTeam) assert.equal(leakedMarkers(g.state, actorTeam, error), [], `error leaks: ${error}`);
  });
});

property('a view section the engine calls unchanged is unchanged', (gameSeed, steps) => {
  let prev: ReturnType<typeof fold> | null = null;
  play(gameSeed, Math.min(steps, 120), (g) => {
    if (prev && prev !== g.state) {
      const changed = new Set(changedSections(prev, g.state));
      const same = SECTIONS.filter((x) => !changed.has(x));
      for (const a of audiences(g.state))
        assert.is(
          JSON.stringify(viewFor(g.state, a, same)),
          JSON.stringify(viewFor(prev, a, same)),
          `stale section for ${JSON.stringify(a)}`,
        );
      // The wire's own dependencies (its drafts apart from `me` and `control`).
      const wireChanged = new Set(changedSections(prev, g.state, true));
      const wireSame = SECTIONS.filter((x) => !wireChanged.has(x));
      for (const a of audiences(g.state))
        assert.is(
          JSON.stringify(wireView(g.state, a, wireSame)),
          JSON.stringify(wireView(prev, a, wireSame)),
          `stale wire section for ${JSON.stringify(a)}`,
        );
    }
    // The wire view, its catalogue and every older reveal make up the whole projection again.
    for (const a of audiences(g.state)) {
      const wire = wireView(g.state, a);
      const joined = withCatalogue(wire, catalogueFor(g.state, a));
      const full = viewFor(g.state, a);
      assert.is(JSON.stringify(joined.actions), JSON.stringify(full.actions), `${JSON.stringify(a)}: actions joined`);
      // The drafts travel apart on the wire and are put back where the whole projection has them.
      assert.is(
        JSON.stringify([joined.me, joined.control]),
        JSON.stringify([full.me, full.control]),
        `${JSON.stringify(a)}: drafts joined, in their places`,
      );
      if (a.kind === 'team') assert.ok(wire.draft && wire.me && !('draft' in wire.me), 'a team gets its draft apart');
      const latest = wire.reveals[0]?.round ?? 1000;
      assert.equal([...olderReveals(g.state, a, latest), ...wire.reveals], full.reveals, 'reveals paged in');
      assert.is(wire.earlierReveals.length, full.reveals.length - wire.reveals.length);
      // And the deals and injects of earlier rounds, fetched by the refs the wire view names, with those hashes.
      const archive: Archive = { deals: new Map(), injects: new Map() };
      for (const kind of ['deals', 'injects'] as const) {
        const refs = kind === 'deals' ? wire.earlierDeals : wire.earlierInjects;
        const got = archivedEntries(
          g.state,
          a,
          kind,
          refs.map((r) => r.id),
        );
        assert.equal(
          got.map((x) => [x.item.id, x.hash]),
          refs.map((r) => [r.id, r.hash]),
          `${JSON.stringify(a)}: every earlier ${kind} comes, with the hash named`,
        );
        for (const x of got) {
          assert.is(x.hash, contentHash(JSON.stringify(x.item)));
          (archive[kind] as Map<string, unknown>).set(x.item.id, x);
        }
      }
      const archived = withArchive(joined, archive);
      assert.equal(archived.deals, full.deals, `${JSON.stringify(a)}: deals paged in, each in its place`);
      assert.equal(archived.injects, full.injects, `${JSON.stringify(a)}: injects paged in, each in its place`);
      assert.equal([archived.earlierDeals, archived.earlierInjects], [[], []]);
    }
    prev = g.state;
  });
});

test('random games reach every phase and an ending', () => {
  const phases = new Set<string>();
  let endings = 0;
  for (let s = 1; s <= 30; s++) {
    const g = play(s * 7919, 300, (x) => {
      phases.add(x.state.phase);
    });
    if (g.state.ending) endings++;
  }
  for (const p of [
    'lobby',
    'briefing',
    'injects',
    'negotiation',
    'submission',
    'adjudication',
    'reveal',
    'paused',
    'debrief',
  ])
    assert.ok(phases.has(p), `never reached ${p}`);
  assert.ok(endings > 0, 'no random game ended');
});

test('decide never mutates the state it is given', () => {
  const g = play(99, 150, () => {});
  const frozen = JSON.stringify(g.state);
  const out = decide(g.state, {
    command: { type: 'phase.advance' },
    actor: { kind: 'control', playerId: 'wc', name: 'C' },
    now: g.now,
    ids: ['a', 'b', 'c', 'd'],
  });
  assert.ok(isDomainError(out) || Array.isArray(out));
  assert.is(JSON.stringify(g.state), frozen);
});

test.run();
