/**
 * Cold start of every Lambda bundle (`npm run bench -- --only cold-start`).
 *
 * The bundles are the ones `cdk deploy` uploads: a child process synthesizes the stage with the
 * real stacks (lib/civic-line-app.ts), so CDK runs esbuild with AppFunction's options — nothing
 * here restates them, and they cannot drift. For each function of the API stack it then reports
 * - the bundle's size (index.mjs, minified, without its source map) and what it carries, per
 *   package, attributed from the bundle's own source map;
 * - the cold import: a fresh `node` process, with the environment the function gets in AWS (its
 *   template variables with fake values for the references, the variables the Lambda runtime sets,
 *   its NODE_OPTIONS) and the network refused, imports index.mjs and exits; the time of the
 *   `import()` is measured inside the process, the process's whole life outside. Runs alternate
 *   between bundles so that the machine's noise falls on all of them alike; the first round is a
 *   discarded warm-up (file cache).
 *
 * Node here is not Lambda's (Node 22 on Graviton, 512 MB or more): the absolute figures are this
 * machine's, the comparison between bundles holds.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { percentile } from './runtime';

/** The receiver answers LINE, which gives up after 2 s: its budget (the issue's target). */
export const COLD_START_TARGETS: Record<string, { maxBytes: number; maxImportMs: number }> = {
  'webhook-receive': { maxBytes: 300 * 1024, maxImportMs: 150 },
};

export interface ColdStartOptions {
  /** Cold imports per bundle (at least 5). */
  runs: number;
  /** Stage to synthesize (bundles do not depend on it; the environment does a little). */
  stage?: 'test' | 'prod';
}

export interface BundleFigures {
  /** Short name, e.g. webhook-receive. */
  name: string;
  functionName: string;
  handler: string;
  memoryMb: number;
  bytes: number;
  gzipBytes: number;
  mapBytes: number;
  /** Bytes of the bundle per package group, largest first (from the source map). */
  carries: { group: string; bytes: number }[];
  importMs: { median: number; min: number; max: number };
  importCpuMs: number;
  processMs: { median: number; min: number; max: number };
  rssMb: number;
  /** Connections, datagrams or DNS look-ups attempted while importing (refused; must be 0). */
  networkAttempts: number;
  target?: { maxBytes: number; maxImportMs: number; met: boolean };
}

export interface ColdStartResult {
  runs: number;
  synthSeconds: number;
  /** 1-minute load average when the imports began and ended (other work on the machine inflates wall times, less the CPU figures). */
  loadAverage: [number, number];
  cores: number;
  /** A node process that imports nothing: what every row's process time includes. */
  nodeBaseline: { processMs: number; rssMb: number };
  bundles: BundleFigures[];
}

/** What the synthesizing child hands back for each function. */
interface SynthesizedFunction {
  name: string;
  functionName: string;
  handler: string;
  memoryMb: number;
  assetDir: string;
  environment: Record<string, string>;
}

const REPO_ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const THIS_FILE = fileURLToPath(import.meta.url);
const REGION = 'ap-northeast-1';
const ACCOUNT = '123456789012';

export async function runColdStartBench(options: ColdStartOptions): Promise<ColdStartResult> {
  const runs = Math.max(5, Math.floor(options.runs));
  // Inside the repository: a bundle that leaves a package external resolves it from node_modules,
  // as Lambda resolves it from the runtime's own copy.
  const outdir = join(REPO_ROOT, 'node_modules', '.cache', 'civic-line-cold-start', `${process.pid}`);
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  try {
    const synthStarted = performance.now();
    const functions = await synthesizeInChild(outdir, options.stage ?? 'test');
    const synthSeconds = (performance.now() - synthStarted) / 1000;

    const loadBefore = loadavg()[0];
    const samples = new Map<string, ImportSample[]>(functions.map((f) => [f.name, []]));
    const baseline: ImportSample[] = [];
    for (let round = 0; round <= runs; round++) {
      const warmUp = round === 0;
      const b = await coldImport(undefined, lambdaEnvironment(undefined));
      if (!warmUp) baseline.push(b);
      for (const fn of functions) {
        const s = await coldImport(fn, lambdaEnvironment(fn));
        if (!warmUp) samples.get(fn.name)!.push(s);
      }
    }

    const bundles = functions.map((fn): BundleFigures => {
      const code = readFileSync(join(fn.assetDir, 'index.mjs'));
      const mapFile = join(fn.assetDir, 'index.mjs.map');
      const s = samples.get(fn.name)!;
      const target = COLD_START_TARGETS[fn.name];
      const importMs = spread(s.map((x) => x.importMs));
      return {
        name: fn.name,
        functionName: fn.functionName,
        handler: fn.handler,
        memoryMb: fn.memoryMb,
        bytes: code.length,
        gzipBytes: gzipSync(code).length,
        mapBytes: existsSync(mapFile) ? statSync(mapFile).size : 0,
        carries: existsSync(mapFile) ? attributeBytes(code.toString('latin1'), JSON.parse(readFileSync(mapFile, 'utf8')), fn.assetDir) : [],
        importMs,
        importCpuMs: median(s.map((x) => x.importCpuMs)),
        processMs: spread(s.map((x) => x.processMs)),
        rssMb: median(s.map((x) => x.rssMb)),
        networkAttempts: Math.max(...s.map((x) => x.networkAttempts)),
        ...(target ? { target: { ...target, met: code.length <= target.maxBytes && importMs.median <= target.maxImportMs } } : {}),
      };
    });
    return {
      runs,
      synthSeconds,
      loadAverage: [loadBefore, loadavg()[0]],
      cores: cpus().length,
      nodeBaseline: { processMs: median(baseline.map((b) => b.processMs)), rssMb: median(baseline.map((b) => b.rssMb)) },
      bundles,
    };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Synthesis (child process: CDK's esbuild writes its progress to the process's stderr)
// ---------------------------------------------------------------------------------------------

function synthesizeInChild(outdir: string, stage: string): Promise<SynthesizedFunction[]> {
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', THIS_FILE, '--synthesize-into', outdir, stage],
      { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } },
      (error, _stdout, stderr) => {
        if (error) return reject(new Error(`synthesis failed: ${error.message}\n${stderr.slice(-4000)}`));
        try {
          resolvePromise(JSON.parse(readFileSync(join(outdir, 'cold-start-functions.json'), 'utf8')) as SynthesizedFunction[]);
        } catch (e) {
          reject(e as Error);
        }
      },
    );
  });
}

/** The child's side: synthesize the stage as bin/app.ts does and list the API stack's functions. */
async function synthesizeInto(outdir: string, stage: string): Promise<void> {
  const { App } = await import('aws-cdk-lib');
  const { addCivicLineStage } = await import('../lib/civic-line-app');
  const { makeTemporaryLiffAssets, makeTemporaryWebAssets } = await import('../test/cdk/synth-app');
  const webAssetPath = makeTemporaryWebAssets();
  const liffAssetPath = makeTemporaryLiffAssets();
  try {
    const app = new App({ outdir });
    const stacks = addCivicLineStage(app, stage as Parameters<typeof addCivicLineStage>[1], undefined, { webAssetPath, liffAssetPath });
    const assembly = app.synth();
    const template = assembly.getStackByName(stacks.api.stackName).template as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const prefix = `civic-line-${stage}-`;
    const functions: SynthesizedFunction[] = [];
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const p = resource.Properties as {
        FunctionName: string;
        Handler: string;
        MemorySize?: number;
        Code: { S3Key?: string };
        Environment?: { Variables?: Record<string, unknown> };
      };
      const hash = p.Code.S3Key?.replace(/\.zip$/, '');
      const assetDir = join(outdir, `asset.${hash}`);
      if (!hash || !existsSync(join(assetDir, 'index.mjs'))) continue; // not a bundled Node function
      functions.push({
        name: p.FunctionName.startsWith(prefix) ? p.FunctionName.slice(prefix.length) : p.FunctionName,
        functionName: p.FunctionName,
        handler: p.Handler,
        memoryMb: p.MemorySize ?? 128,
        assetDir,
        environment: Object.fromEntries(Object.entries(p.Environment?.Variables ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : fakeValue(k, stage)])),
      });
    }
    writeFileSync(join(outdir, 'cold-start-functions.json'), JSON.stringify(functions));
  } finally {
    for (const dir of [webAssetPath, liffAssetPath]) rmSync(dir, { recursive: true, force: true });
  }
}

/** A plausible value for a variable whose value is a CloudFormation reference (an import, a Ref). */
function fakeValue(key: string, stage: string): string {
  if (key.endsWith('_QUEUE_URL')) return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/civic-line-${stage}-${key.slice(0, -10).toLowerCase()}`;
  if (key.endsWith('_SECRET_ARN')) return `arn:aws:secretsmanager:${REGION}:${ACCOUNT}:secret:civic-line/${stage}/${key.slice(0, -11).toLowerCase()}-AbCdEf`;
  if (key.endsWith('_QUEUE_ARN') || key.endsWith('_DLQ_ARN')) return `arn:aws:sqs:${REGION}:${ACCOUNT}:civic-line-${stage}-${key.toLowerCase()}`;
  if (key.endsWith('_ROLE_ARN')) return `arn:aws:iam::${ACCOUNT}:role/civic-line-${stage}-${key.toLowerCase()}`;
  if (key.endsWith('_ARN')) return `arn:aws:bench:${REGION}:${ACCOUNT}:${key.toLowerCase()}`;
  if (key.endsWith('_URL')) return 'https://abcdef1234.execute-api.ap-northeast-1.amazonaws.com';
  return `civic-line-${stage}-${key.toLowerCase().replace(/_/g, '-')}`;
}

// ---------------------------------------------------------------------------------------------
// Cold import
// ---------------------------------------------------------------------------------------------

/** The variables the Lambda runtime sets, then the function's own (fake credentials: nothing is called). */
function lambdaEnvironment(fn: SynthesizedFunction | undefined): Record<string, string> {
  const functionName = fn?.functionName ?? 'civic-line-bench-baseline';
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    AWS_REGION: REGION,
    AWS_DEFAULT_REGION: REGION,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn?.memoryMb ?? 512),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]0123456789abcdef0123456789abcdef',
    AWS_ACCESS_KEY_ID: 'ASIABENCHFAKEKEY0000',
    AWS_SECRET_ACCESS_KEY: 'bench/fake/secret/access/key/00000000000',
    AWS_SESSION_TOKEN: 'bench-fake-session-token',
    AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
    AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000',
    _AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129',
    _AWS_XRAY_DAEMON_PORT: '2000',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...(fn ? { LAMBDA_TASK_ROOT: fn.assetDir, _HANDLER: fn.handler } : {}),
    ...fn?.environment,
  };
}

interface ImportSample {
  importMs: number;
  /** CPU (all threads, user + system) spent by the import: less sensitive than wall time to other processes on a shared machine. */
  importCpuMs: number;
  processMs: number;
  rssMb: number;
  networkAttempts: number;
}

/**
 * Runs in the fresh process: refuses the network, imports the bundle, checks the handler is
 * exported, prints its figures. The harness's own imports are Node built-ins.
 */
const IMPORT_PROGRAM = `
import net from 'node:net';
import dgram from 'node:dgram';
import dns from 'node:dns';
let attempts = 0;
const refuse = (what) => function () { attempts += 1; throw new Error('cold-start bench: no network (' + what + ')'); };
net.Socket.prototype.connect = refuse('tcp');
dgram.Socket.prototype.send = refuse('udp');
dns.lookup = refuse('dns');
const [url, handlerName] = process.argv.slice(1);
let importMs = 0;
let importCpuMs = 0;
if (url) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const mod = await import(url);
  importMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  importCpuMs = (used.user + used.system) / 1000;
  if (typeof mod[handlerName] !== 'function') throw new Error(url + ' exports no function ' + handlerName);
}
process.stdout.write(JSON.stringify({ importMs, importCpuMs, rssMb: process.memoryUsage().rss / 1048576, networkAttempts: attempts }));
`;

function coldImport(fn: SynthesizedFunction | undefined, env: Record<string, string>): Promise<ImportSample> {
  const args = ['--input-type=module', '-e', IMPORT_PROGRAM];
  if (fn) args.push(pathToFileURL(join(fn.assetDir, 'index.mjs')).href, fn.handler.replace(/^index\./, ''));
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, { cwd: fn?.assetDir ?? REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => {
      const processMs = performance.now() - started;
      if (code !== 0) return reject(new Error(`cold import of ${fn?.name ?? 'nothing'} exited ${code}: ${stderr.slice(-2000)}`));
      const r = JSON.parse(stdout) as Omit<ImportSample, 'processMs'>;
      resolvePromise({ ...r, processMs });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// What a bundle carries: generated bytes per source, from the source map's mappings
// ---------------------------------------------------------------------------------------------

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUE = new Map([...BASE64].map((c, i) => [c, i]));

/**
 * Bytes of generated code per package group. Each mapping segment owns the generated columns up
 * to the next segment of its line (esbuild writes ASCII, so columns are bytes); code before a
 * line's first segment or without a source (the banner, esbuild's helpers) is "(esbuild runtime)".
 */
export function attributeBytes(
  code: string,
  map: { sources: string[]; sourceRoot?: string; mappings: string },
  mapDir: string,
): { group: string; bytes: number }[] {
  const lineLengths = code.split('\n').map((l) => l.length);
  const totals = new Map<string, number>();
  const add = (group: string, n: number) => n > 0 && totals.set(group, (totals.get(group) ?? 0) + n);
  const groups = map.sources.map((s) => groupOf(resolve(mapDir, map.sourceRoot ?? '', s)));
  let source = 0;
  const lines = map.mappings.split(';');
  for (let line = 0; line < lineLengths.length; line++) {
    const segments = (lines[line] ?? '').split(',').filter(Boolean);
    let column = 0;
    let previous: { column: number; group: string } | undefined;
    let covered = 0;
    for (const segment of segments) {
      const fields = decodeVlq(segment);
      column += fields[0];
      if (fields.length >= 4) source += fields[1];
      if (previous) add(previous.group, column - previous.column);
      else covered = column;
      previous = { column, group: fields.length >= 4 ? groups[source] : '(esbuild runtime)' };
    }
    if (previous) add(previous.group, lineLengths[line] - previous.column);
    add('(esbuild runtime)', previous ? covered : lineLengths[line]);
    add('(esbuild runtime)', 1); // the line break
  }
  return [...totals].map(([group, bytes]) => ({ group, bytes })).sort((a, b) => b.bytes - a.bytes);
}

function decodeVlq(segment: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const c of segment) {
    const digit = BASE64_VALUE.get(c)!;
    value += (digit & 31) << shift;
    if (digit & 32) shift += 5;
    else {
      out.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return out;
}

/** An absolute source path → the group it is counted in (packages that travel together are one group). */
export function groupOf(source: string): string {
  const i = source.lastIndexOf('/node_modules/');
  if (i < 0) return source.startsWith(`${REPO_ROOT}/`) ? 'civic-line code' : source;
  const rest = source.slice(i + '/node_modules/'.length).split('/');
  const pkg = rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  if (/^@(aws-sdk|smithy|aws-crypto|aws)\//.test(pkg) || ['tslib', 'fast-xml-parser', 'strnum', 'bowser', 'uuid', '@tootallnate/once'].includes(pkg))
    return 'AWS SDK';
  if (
    ['aws-xray-sdk-core', 'cls-hooked', 'semver', 'shimmer', 'emitter-listener', 'async-listener', 'atomic-batcher', 'async-hook-jl', 'stack-chain'].includes(
      pkg,
    )
  )
    return 'X-Ray SDK';
  if (pkg.startsWith('@aws-lambda-powertools/')) return `Powertools ${pkg.slice('@aws-lambda-powertools/'.length)}`;
  return pkg;
}

// ---------------------------------------------------------------------------------------------
// Figures
// ---------------------------------------------------------------------------------------------

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return percentile(sorted, 50);
}

function spread(values: number[]): { median: number; min: number; max: number } {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** The table `npm run bench` prints. */
export function formatColdStart(r: ColdStartResult): string {
  const kb = (n: number) => `${(n / 1024).toLocaleString('en-US', { maximumFractionDigits: 0 })} KB`;
  const ms = (n: number) => n.toFixed(0);
  const rows = [...r.bundles].sort((a, b) => a.bytes - b.bytes);
  const width = Math.max(8, ...rows.map((b) => b.name.length));
  const out: string[] = [];
  out.push(
    `${'function'.padEnd(width)}  ${'size'.padStart(9)}  ${'gzip'.padStart(7)}  ${'import ms median (min–max)'.padEnd(27)}  ${'CPU ms'.padStart(6)}  ${'process ms'.padStart(10)}  ${'RSS'.padStart(6)}  target`,
  );
  for (const b of rows) {
    const target = b.target ? `≤ ${kb(b.target.maxBytes)} and ≤ ${b.target.maxImportMs} ms: ${b.target.met ? 'met' : 'NOT MET'}` : 'report only';
    out.push(
      `${b.name.padEnd(width)}  ${kb(b.bytes).padStart(9)}  ${kb(b.gzipBytes).padStart(7)}  ${`${ms(b.importMs.median)} (${ms(b.importMs.min)}–${ms(b.importMs.max)})`.padEnd(27)}  ${ms(b.importCpuMs).padStart(6)}  ${ms(b.processMs.median).padStart(10)}  ${`${b.rssMb.toFixed(0)} MB`.padStart(6)}  ${target}${b.networkAttempts ? `; NETWORK ATTEMPTED ×${b.networkAttempts}` : ''}`,
    );
  }
  out.push(
    `(${r.runs} cold imports per bundle, alternating, after a warm-up round; wall time of import(), its CPU (all threads) and the process's life, medians; a node process importing nothing: ${ms(r.nodeBaseline.processMs)} ms, ${r.nodeBaseline.rssMb.toFixed(0)} MB; synthesis and bundling ${r.synthSeconds.toFixed(1)} s)`,
  );
  const load = Math.max(...r.loadAverage);
  if (load > r.cores)
    out.push(
      `(load average ${r.loadAverage.map((l) => l.toFixed(1)).join(' → ')} on ${r.cores} cores: other work shared the machine; wall times are inflated, the CPU column much less)`,
    );
  out.push('what each bundle carries (bytes of index.mjs per package, from its source map):');
  for (const b of rows) {
    const shown = b.carries.slice(0, 6).map((c) => `${c.group} ${kb(c.bytes)}`);
    const rest = b.carries.slice(6).reduce((n, c) => n + c.bytes, 0);
    out.push(`  ${b.name.padEnd(width)}  ${shown.join(', ')}${rest > 0 ? `, other ${kb(rest)}` : ''}`);
  }
  return out.join('\n');
}

// The synthesizing child (see synthesizeInChild).
if (process.argv[1] && resolve(process.argv[1]) === THIS_FILE && process.argv[2] === '--synthesize-into') {
  await synthesizeInto(process.argv[3], process.argv[4]);
}
