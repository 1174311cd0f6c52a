#!/usr/bin/env node
// Builds the browser apps: the staff console (admin-web), the citizen LIFF pages (liff-web) and the
// LINE simulator's phone page (simulator/phone-web, served by the simulator at /).
import { existsSync } from 'node:fs';
import { build } from 'vite';

for (const app of ['admin-web', 'liff-web', 'simulator/phone-web']) {
  const config = `${app}/vite.config.ts`;
  if (!existsSync(config)) continue;
  await build({ configFile: config, logLevel: 'warn' });
}
