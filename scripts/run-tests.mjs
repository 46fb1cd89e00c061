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

// The browser tests drive Debian's Chromium. On a fresh machine it is missing: install it when this runs as root
// with apt-get, otherwise say exactly what to run (the browser tests then fail with the same message).
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (files.some((f) => f.startsWith('test/client/')) && !existsSync(CHROMIUM)) {
  const apt = existsSync('/usr/bin/apt-get');
  if (apt && process.getuid?.() === 0) {
    console.log('# Chromium is missing: apt-get install -y chromium');
    spawnSync('apt-get', ['update'], { stdio: 'inherit' });
    spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit' });
  }
  if (!existsSync(CHROMIUM))
    console.log(
      `# The browser tests need Chromium at ${CHROMIUM}. Install it with:\n#   ${
        apt ? 'sudo apt-get update && sudo apt-get install -y chromium' : "your system's chromium package"
      }\n# or point CHROMIUM_PATH at a Chromium or Chrome binary.`,
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
