// Imported first by bench/run.ts: the runtimes that run inside the benchmark's process (deliveries,
// disaster mail) log and publish metrics as `npm start`'s does — quietly, no EMF line per request.
// Powertools reads these when its module loads, so they are set before any import reaches it.
process.env.POWERTOOLS_LOG_LEVEL ??= 'ERROR';
process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
