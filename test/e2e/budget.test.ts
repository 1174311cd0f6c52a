/** The browser tests' per-test budget is real (see test/integration/meta/budget.test.ts). */
it('gives a browser test more than the 5 s default', async () => {
  const started = Date.now();
  await new Promise((resolve) => setTimeout(resolve, 5_300));
  expect(Date.now() - started).toBeGreaterThanOrEqual(5_300);
});
