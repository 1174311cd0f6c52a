// Points this test file at the e2e project's own local runtime (test/integration/global-setup.ts).
export {};
const json = process.env.IT_ENV_e2e;
if (json) Object.assign(process.env, JSON.parse(json) as Record<string, string>);
