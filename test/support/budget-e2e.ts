// The browser tests' per-test budget (see budget-integration.ts for why it is set here).
jest.setTimeout(60_000);
