/** The browser tests' per-test budget is real (see test/integration/meta/budget.test.ts). */
it('gives a browser test more than the 5 s default', async () => {
  // performance.now(): the timers' own monotonic clock (Date.now() can see a 5,300 ms timer fire after 5,299 ms).
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, 5_300));
  // Past Jest's 5 s default: the test was not cut off there.
  expect(performance.now() - started).toBeGreaterThan(5_000);
});
