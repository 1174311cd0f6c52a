#!/usr/bin/env node
// Checks (and where it can, installs) the system packages a command needs:
//   java      DynamoDB Local (AWS's official engine) runs on Java 17+
//   chromium  browser tests (Debian's chromium, driven by playwright-core, and fonts-noto-cjk)
// As root on Debian it installs with apt-get; otherwise it prints the one command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const NEEDS = {
  java: { check: javaOk, packages: ['openjdk-17-jre-headless'], why: 'DynamoDB Local (Java 17 以上) / DynamoDB Local needs Java 17+' },
  // fonts-noto-cjk: without it Japanese renders as boxes in the browser tests' screenshots.
  chromium: {
    check: () => existsSync('/usr/bin/chromium') && existsSync('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc'),
    packages: ['chromium', 'fonts-noto-cjk'],
    why: 'ブラウザテスト / browser tests need Debian chromium and Japanese fonts (fonts-noto-cjk)',
  },
};

function javaOk() {
  const r = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (r.status !== 0) return false;
  const m = `${r.stderr}${r.stdout}`.match(/version "(\d+)/);
  return Boolean(m && Number(m[1]) >= 17);
}

const canApt = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
let failed = false;
for (const name of process.argv.slice(2)) {
  const need = NEEDS[name];
  if (!need) throw new Error(`unknown prerequisite ${name}`);
  if (need.check()) continue;
  const command = `apt-get update && apt-get install -y ${need.packages.join(' ')}`;
  if (canApt) {
    console.error(`[prereq] ${need.why}: installing with apt-get…`);
    try {
      execFileSync('sh', ['-c', `${command} >/tmp/civic-line-apt.log 2>&1`], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch {
      console.error('[prereq] apt-get failed; see /tmp/civic-line-apt.log');
    }
    if (need.check()) continue;
  }
  console.error(`\n[prereq] ${need.why}.\n  Run: sudo sh -c '${command}'\n`);
  failed = true;
}
process.exit(failed ? 1 : 0);
