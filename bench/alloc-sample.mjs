// Preloaded into every server by `npm run bench` with BENCH_ALLOC=<dir> (node --import). The first SIGUSR2 starts
// V8's sampling heap profiler, told to keep the objects the GC has already collected as well, so that the profile
// shows what the code allocates (what the young generation's collections pay for), not only what it keeps; the
// next SIGUSR2 writes <dir>/alloc-<pid>.heapprofile (bench/alloc-top.ts sums it up, Chrome's devtools open it).
// Plain JavaScript: it is loaded before tsx in the bare servers.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { join } from 'node:path';

const dir = process.env.BENCH_ALLOC;
if (dir) {
  const session = new Session();
  session.connect();
  const post = (method, params = {}) =>
    new Promise((resolve, reject) => session.post(method, params, (err, r) => (err ? reject(err) : resolve(r))));
  let sampling = false;
  process.on('SIGUSR2', async () => {
    sampling = !sampling;
    if (sampling) {
      await post('HeapProfiler.enable');
      await post('HeapProfiler.startSampling', {
        samplingInterval: 4096,
        includeObjectsCollectedByMajorGC: true,
        includeObjectsCollectedByMinorGC: true,
      });
    } else {
      const { profile } = await post('HeapProfiler.stopSampling');
      writeFileSync(join(dir, `alloc-${process.pid}.heapprofile`), JSON.stringify(profile));
    }
  });
}
