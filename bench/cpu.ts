/**
 * Where the CPU went during a span (Linux; best effort, NaN elsewhere): this process (all its
 * threads: the runtime's main thread, the senders, the simulator, the webhook consumer), how busy
 * the main thread's event loop was, DynamoDB Local's JVM, and the whole machine (every process,
 * other users' included) as a share of its cores.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export interface CpuSpan {
  wallMs: number;
  processCpuMs: number;
  /** Share of the span the main thread's event loop was busy (0–1). */
  mainThreadBusy: number;
  dynamoCpuMs: number;
  /** Share of all cores busy, every process of the machine counted (0–1). */
  machineBusy: number;
}

interface Snapshot {
  at: number;
  process: NodeJS.CpuUsage;
  elu: EventLoopUtilization;
  dynamoTicks: number;
  machine: { busy: number; total: number };
}

let ticksPerSecond: number | undefined;
function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** The JVM of DynamoDB Local listening on `endpoint`'s port (its command line names the port). */
export function dynamoDbLocalPid(endpoint: string): number | undefined {
  const port = new URL(endpoint).port;
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
        const at = args.indexOf('-port');
        if (args.some((a) => a.endsWith('DynamoDBLocal.jar')) && at >= 0 && args[at + 1] === port) return Number(entry);
      } catch {
        // gone meanwhile, or not ours to read
      }
    }
  } catch {
    // no /proc
  }
  return undefined;
}

function processTicks(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    // Fields after the command's closing parenthesis: state is field 3, utime 14 and stime 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return NaN;
  }
}

function machineTicks(): { busy: number; total: number } {
  try {
    const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
    const n = values.map(Number);
    const total = n.reduce((a, b) => a + b, 0);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/** Starts measuring; the returned function ends the span and answers its figures. */
export function cpuSpan(dynamoPid: number | undefined): () => CpuSpan {
  const take = (): Snapshot => ({
    at: performance.now(),
    process: process.cpuUsage(),
    elu: performance.eventLoopUtilization(),
    dynamoTicks: processTicks(dynamoPid),
    machine: machineTicks(),
  });
  const start = take();
  return () => {
    const end = take();
    const usage = process.cpuUsage(start.process);
    return {
      wallMs: end.at - start.at,
      processCpuMs: (usage.user + usage.system) / 1000,
      mainThreadBusy: performance.eventLoopUtilization(end.elu, start.elu).utilization,
      dynamoCpuMs: ((end.dynamoTicks - start.dynamoTicks) * 1000) / clockTicks(),
      machineBusy: (end.machine.busy - start.machine.busy) / (end.machine.total - start.machine.total),
    };
  };
}

export const CORES = cpus().length;
