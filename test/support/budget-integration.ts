// The integration project's per-test budget. Jest 30 ignores `testTimeout` inside a project's
// config (only the global value counts), so the budget is set here, after the framework is
// installed (setupFilesAfterEnv). Real scrypt hashing and DynamoDB Local on a busy 2-core machine.
jest.setTimeout(30_000);
