// Presence converges without anyone connecting or disconnecting: a game watched by its White Cell is gathered
// again every refresh, so the sockets of a process that crashed (which nobody sees disconnect) drop off the list,
// and a gathering that failed (Redis down) is tried again. A refresh that finds nothing new sends nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Seat } from '../../../server/games/seat.ts';
import { silentLogger } from '../../../server/log.ts';
import { PresenceAnnouncer } from '../../../server/realtime/presence.ts';
import type { Presence } from '../../../shared/protocol.ts';

const seat = (playerId: string): Seat => ({ gameId: 'g', playerId, name: playerId, role: 'team', team: 'us' });

test("a crashed process's sockets drop off by the refresh alone; unchanged refreshes send nothing", async () => {
  let seats: Seat[] | Error = [seat('alice'), seat('bob')];
  const sent: Presence[] = [];
  const announcer = new PresenceAnnouncer({
    seatsOf: async () => {
      if (seats instanceof Error) throw seats;
      return seats;
    },
    send: (p) => sent.push(p),
    log: silentLogger,
    watched: () => ['g'],
    refreshMs: 20,
  });
  try {
    announcer.announce('g');
    const until = async (check: () => boolean, what: string) => {
      for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
      assert.ok(check(), what);
    };
    await until(() => sent.length === 1, 'the first announcement');
    await new Promise((r) => setTimeout(r, 100));
    assert.is(sent.length, 1, 'refreshes that find the same sockets send nothing');
    // Bob's process crashes while the adapter still counts it: gathering fails for a while, then succeeds.
    seats = new Error('a process did not answer');
    await new Promise((r) => setTimeout(r, 60));
    seats = [seat('alice')];
    await until(() => sent.length === 2, 'the list converges');
    assert.equal(
      sent[1].online.map((o) => o.playerId),
      ['alice'],
    );
  } finally {
    announcer.close();
  }
});

test.run();
