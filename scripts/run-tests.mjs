// Runs every test/**/*.test.ts with uvu through tsx, one process per file (a crash in one file cannot hide the rest),
// and ends with the line CI reads: "N passed, N failed". Exits non-zero on any failure, any crash, or zero tests.
// Usage: npm test [-- path-filter ...]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();

// The browser tests and the printed report's test drive Debian's Chromium, the balancer tests run Debian's nginx and
// HAProxy, and the printed report's test reads its PDFs back with poppler's pdftotext. On a fresh machine they are
// missing: install them when this runs as root with apt-get, otherwise say exactly what to run (the tests that need
// them then fail with the same message).
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const needs = [
  { pkg: 'chromium', path: CHROMIUM, wanted: (f) => f.startsWith('test/client/') || f.includes('report-html') },
  { pkg: 'nginx', path: '/usr/sbin/nginx', wanted: (f) => f.includes('balancers') },
  { pkg: 'haproxy', path: '/usr/sbin/haproxy', wanted: (f) => f.includes('balancers') },
  { pkg: 'poppler-utils', path: '/usr/bin/pdftotext', wanted: (f) => f.includes('report-html') },
];
const missing = needs.filter((n) => files.some(n.wanted) && !existsSync(n.path));
if (missing.length > 0) {
  const pkgs = missing.map((n) => n.pkg);
  const apt = existsSync('/usr/bin/apt-get');
  if (apt && process.getuid?.() === 0) {
    console.log(`# Missing: apt-get install -y ${pkgs.join(' ')}`);
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...pkgs], {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  }
  for (const n of missing.filter((m) => !existsSync(m.path)))
    console.log(
      `# Some tests need ${n.pkg} at ${n.path}. Install it with:\n#   ${
        apt ? `sudo apt-get update && sudo apt-get install -y ${n.pkg}` : `your system's ${n.pkg} package`
      }${n.pkg === 'chromium' ? '\n# or point CHROMIUM_PATH at a Chromium or Chrome binary.' : ''}`,
    );
}

function runFile(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      process.stdout.write(d);
    });
    child.stderr.on('data', (d) => {
      out += d;
      process.stderr.write(d);
    });
    child.on('close', (code, signal) => resolve({ file, code, signal, out }));
  });
}

let passed = 0,
  failed = 0,
  skipped = 0;
const crashed = [];
const started = Date.now();
for (const file of files) {
  console.log(`\n# ${file}`);
  const { code, signal, out } = await runFile(file);
  const total = /Total:\s+(\d+)/.exec(out);
  const pass = /Passed:\s+(\d+)/.exec(out);
  const skip = /Skipped:\s+(\d+)/.exec(out);
  if (!total || !pass) {
    crashed.push(`${file} (exit ${code ?? signal}, no uvu summary)`);
    failed += 1;
    continue;
  }
  const t = Number(total[1]),
    p = Number(pass[1]),
    s = skip ? Number(skip[1]) : 0;
  passed += p;
  skipped += s;
  failed += t - p - s;
  if (code !== 0 && t - p - s === 0) {
    crashed.push(`${file} (exit ${code ?? signal})`);
    failed += 1;
  }
}

console.log(`\n${files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (crashed.length) console.log(`crashed: ${crashed.join(', ')}`);
if (passed + failed === 0) console.log('no tests ran');
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
