// A seminar on two processes sharing Redis: students who join through one process are in their seats when the
// instructor starts the cells through the other, so the seminar's bots take only the seats nobody holds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { CohortJoinResult, CohortSummary } from '../../../shared/cohorts.ts';
import { startCluster, type Cluster } from '../../helpers/cluster.ts';
import { call } from '../../helpers/http.ts';

let cluster: Cluster;

test.before(async () => {
  cluster = await startCluster({ processes: 2 });
});

test.after(async () => {
  await cluster?.destroy();
});

test('students who joined through the other process keep their teams: the bots fill only the empty seats', async () => {
  const [A, B] = cluster.servers;
  const made = await call<{ cohortId: string; instructorToken: string; joinCode: string }>(
    A.url,
    'POST',
    '/api/cohorts',
    {
      scenario: 'tutorial',
      cells: 2,
      title: 'Two processes',
      bots: 'cooperative',
      options: { seed: 'two-processes' },
    },
  );
  assert.is(made.status, 201);
  const { cohortId, instructorToken, joinCode } = made.body;
  const students: CohortJoinResult[] = [];
  for (const name of ['Ada', 'Ben', 'Cy']) {
    const joined = await call<CohortJoinResult>(B.url, 'POST', '/api/cohorts/join', { code: joinCode, name });
    assert.is(joined.status, 200);
    students.push(joined.body);
  }
  const auth = { authorization: `Bearer ${instructorToken}` };
  const started = await call<{ ok: boolean }[]>(
    A.url,
    'POST',
    `/api/cohorts/${cohortId}/act`,
    { command: 'game.start' },
    auth,
  );
  assert.ok(started.body.every((o) => o.ok));
  const summary = (await call<CohortSummary>(A.url, 'GET', `/api/cohorts/${cohortId}`, undefined, auth)).body;
  for (const [i, cell] of summary.cells.entries()) {
    const mine = students.filter((st) => st.cell === i).map((st) => st.team);
    for (const t of cell.teams)
      assert.is(
        t.bot,
        !mine.includes(t.id),
        `cell ${cell.label}, ${t.id}: ${mine.includes(t.id) ? 'a student' : 'a bot'}`,
      );
  }
});

test.run();
