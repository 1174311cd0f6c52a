/**
 * The integration project's per-test budget is real: a test slower than Jest's 5 s default (but
 * well inside the 30 s budget) passes. Jest 30 silently ignored `testTimeout` in a project's
 * config, so every integration test ran under 5 s and a busy machine failed them.
 */
it('gives a test more than the 5 s default', async () => {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5_300));
  expect(Date.now() - started).toBeGreaterThanOrEqual(5_300);
});
