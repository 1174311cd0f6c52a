#!/usr/bin/env node
// Builds the browser apps: the staff console (admin-web) and the citizen LIFF pages (liff-web).
import { existsSync } from 'node:fs';
import { build } from 'vite';

for (const app of ['admin-web', 'liff-web']) {
  const config = `${app}/vite.config.ts`;
  if (!existsSync(config)) continue;
  await build({ configFile: config, logLevel: 'warn' });
}
