/**
 * The integration project's per-test budget is real: a test slower than Jest's 5 s default (but
 * well inside the 30 s budget) passes. Jest 30 silently ignored `testTimeout` in a project's
 * config, so every integration test ran under 5 s and a busy machine failed them.
 */
it('gives a test more than the 5 s default', async () => {
  // performance.now(): the timers' own monotonic clock (Date.now() can see a 5,300 ms timer fire after 5,299 ms).
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 5_300));
  // Past Jest's 5 s default: the test was not cut off there.
  expect(performance.now() - started).toBeGreaterThan(5_000);
});
