// Seminar cohorts over REST: create, join with the cohort code, and the instructor's dashboard, commands,
// comparative debrief and export. Instructor routes take the instructor's token as a bearer.
import { Router } from 'express';
import {
  AnnounceBody,
  CohortActBody,
  CohortJoinBody,
  CreateCohortBody,
  JoiningBody,
  MoveStudentBody,
} from '../../shared/cohorts.ts';
import type { Cohorts } from '../cohorts/cohorts.ts';
import { cohortStreamId } from '../cohorts/cohort-records.ts';
import { AppError } from '../games/app-error.ts';
import { sha256 } from '../lobby/secrets.ts';
import { opensNothing } from '../store/record-damage.ts';
import { parseBody } from './errors.ts';
import { bearer } from './bearer.ts';
import type { Gates } from './gates.ts';

// The answers Cohorts gives a credential that opens nothing (server/cohorts/cohorts.ts).
const notInstructor = () => new AppError(401, 'UNAUTHORIZED', "A valid instructor's token is required");
const notStudent = () => new AppError(401, 'UNAUTHORIZED', "A valid student's token is required");
const badCode = () => new AppError(403, 'BAD_CODE', 'That cohort code is not valid');

/**
 * Runs a seminar's step for the holder of a token or code. If the seminar's record is damaged but, read whole, holds
 * the credential's hash nowhere (Cohorts hashes it trimmed and in lower case), the credential opens nothing in it:
 * it gets the answer it gets for any seminar (UNAUTHORIZED; BAD_CODE, which spends a guess), as a damaged game's does
 * (server/lobby/auth-book.ts), not word of this seminar's damage. A record that cannot tell (a line that does not
 * read, or one read from a later version on) answers COHORT_DAMAGED to everyone: it might be the line that held it.
 */
async function asHolder<T>(credential: unknown, refuse: () => AppError, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (typeof credential !== 'string') throw err;
    const text = credential.trim().toLowerCase();
    // A token or code names its seminar first (`<cohortId>.<secret>`): only that seminar's record can say.
    const stream = cohortStreamId(text.split('.')[0]);
    if (opensNothing(err, sha256(text), stream)) throw refuse();
    throw err;
  }
}

const cellIndex = (raw: string) => {
  const n = Number(raw);
  if (!/^\d{1,2}$/.test(raw) || !Number.isInteger(n)) throw new AppError(404, 'NO_CELL', 'No such cell');
  return n;
};

export function cohortRoutes(cohorts: Cohorts, gates: Gates): Router {
  const r = Router();
  // A seminar's cells are games: created under the organizer key and the address's budget, a game a cell.
  r.post('/cohorts', async (req, res) => {
    const body = parseBody(CreateCohortBody, req.body);
    gates.create(req, res, body.cells);
    res.status(201).json(await cohorts.create(body));
  });
  // A wrong cohort code spends from the same budget of guesses as a wrong game code.
  r.post('/cohorts/join', async (req, res) => {
    const body = parseBody(CohortJoinBody, req.body);
    res.json(await gates.guess(req, res, () => asHolder(body.code, badCode, () => cohorts.join(body))));
  });
  r.post('/cohorts/:id/seat', async (req, res) => {
    res.json(await asHolder(bearer(req), notStudent, () => cohorts.seat(req.params.id, bearer(req))));
  });
  r.get('/cohorts/:id', async (req, res) => {
    res.json(await asHolder(bearer(req), notInstructor, () => cohorts.summary(req.params.id, bearer(req))));
  });
  r.post('/cohorts/:id/act', async (req, res) => {
    res.json(
      await asHolder(bearer(req), notInstructor, () =>
        cohorts.act(req.params.id, bearer(req), parseBody(CohortActBody, req.body)),
      ),
    );
  });
  r.post('/cohorts/:id/announce', async (req, res) => {
    res.json(
      await asHolder(bearer(req), notInstructor, () =>
        cohorts.announce(req.params.id, bearer(req), parseBody(AnnounceBody, req.body)),
      ),
    );
  });
  r.post('/cohorts/:id/joining', async (req, res) => {
    res.json(
      await asHolder(bearer(req), notInstructor, () =>
        cohorts.setJoining(req.params.id, bearer(req), parseBody(JoiningBody, req.body).open),
      ),
    );
  });
  r.post('/cohorts/:id/students/:student/move', async (req, res) => {
    const body = parseBody(MoveStudentBody, req.body);
    res.json(
      await asHolder(bearer(req), notInstructor, () =>
        cohorts.move(req.params.id, bearer(req), req.params.student, body),
      ),
    );
  });
  r.post('/cohorts/:id/students/:student/remove', async (req, res) => {
    res.json(
      await asHolder(bearer(req), notInstructor, () => cohorts.remove(req.params.id, bearer(req), req.params.student)),
    );
  });
  r.post('/cohorts/:id/students/:student/rejoin', async (req, res) => {
    res.json(
      await asHolder(bearer(req), notInstructor, () => cohorts.rejoin(req.params.id, bearer(req), req.params.student)),
    );
  });
  r.get('/cohorts/:id/debrief', async (req, res) => {
    res.json(await asHolder(bearer(req), notInstructor, () => cohorts.debrief(req.params.id, bearer(req))));
  });
  r.get('/cohorts/:id/export', async (req, res) => {
    const data = await asHolder(bearer(req), notInstructor, () => cohorts.exportAll(req.params.id, bearer(req)));
    res.setHeader('content-disposition', `attachment; filename="cohort-${data.cohortId}.json"`);
    res.json(data);
  });
  r.post('/cohorts/:id/cells/:cell/console', async (req, res) => {
    res.json(
      await asHolder(bearer(req), notInstructor, () =>
        cohorts.consoleSeat(req.params.id, bearer(req), cellIndex(req.params.cell)),
      ),
    );
  });
  return r;
}
