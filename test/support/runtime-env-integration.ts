// Points this test file at the integration project's own local runtime (test/integration/global-setup.ts).
export {};
const json = process.env.IT_ENV_integration;
if (json) Object.assign(process.env, JSON.parse(json) as Record<string, string>);
