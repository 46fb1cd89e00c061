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
import { AppError } from '../games/app-error.ts';
import { parseBody } from './errors.ts';
import { bearer } from './bearer.ts';
import type { Gates } from './gates.ts';

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
    res.json(await gates.guess(req, res, () => cohorts.join(body)));
  });
  r.post('/cohorts/:id/seat', async (req, res) => {
    res.json(await cohorts.seat(req.params.id, bearer(req)));
  });
  r.get('/cohorts/:id', async (req, res) => {
    res.json(await cohorts.summary(req.params.id, bearer(req)));
  });
  r.post('/cohorts/:id/act', async (req, res) => {
    res.json(await cohorts.act(req.params.id, bearer(req), parseBody(CohortActBody, req.body)));
  });
  r.post('/cohorts/:id/announce', async (req, res) => {
    res.json(await cohorts.announce(req.params.id, bearer(req), parseBody(AnnounceBody, req.body)));
  });
  r.post('/cohorts/:id/joining', async (req, res) => {
    res.json(await cohorts.setJoining(req.params.id, bearer(req), parseBody(JoiningBody, req.body).open));
  });
  r.post('/cohorts/:id/students/:student/move', async (req, res) => {
    const body = parseBody(MoveStudentBody, req.body);
    res.json(await cohorts.move(req.params.id, bearer(req), req.params.student, body));
  });
  r.post('/cohorts/:id/students/:student/remove', async (req, res) => {
    res.json(await cohorts.remove(req.params.id, bearer(req), req.params.student));
  });
  r.post('/cohorts/:id/students/:student/rejoin', async (req, res) => {
    res.json(await cohorts.rejoin(req.params.id, bearer(req), req.params.student));
  });
  r.get('/cohorts/:id/debrief', async (req, res) => {
    res.json(await cohorts.debrief(req.params.id, bearer(req)));
  });
  r.get('/cohorts/:id/export', async (req, res) => {
    const data = await cohorts.exportAll(req.params.id, bearer(req));
    res.setHeader('content-disposition', `attachment; filename="cohort-${data.cohortId}.json"`);
    res.json(data);
  });
  r.post('/cohorts/:id/cells/:cell/console', async (req, res) => {
    res.json(await cohorts.consoleSeat(req.params.id, bearer(req), cellIndex(req.params.cell)));
  });
  return r;
}
