// A handler run in a LambdaWorker thread by test/integration/meta/thread-ports.test.ts: it calls the ports the main thread lends it.
import { readFileSync } from 'node:fs';
import { borrowedPort } from '../../local/thread-ports';

interface Box {
  add(a: number, b: number): Promise<number>;
  later(at: Date): Promise<string>;
  fail(): Promise<void>;
}
const box = borrowedPort<Box>('box', ['add', 'later', 'fail']);
const notLent = borrowedPort<{ open(): Promise<void> }>('notLent', ['open']);
const inherited = borrowedPort<{ toString(): Promise<string> }>('box', ['toString']);

export const handler = async (event: { op: 'add' | 'later' | 'fail' | 'notLent' | 'inherited' | 'hang' | 'exit' | 'ping' | 'nice' }): Promise<unknown> => {
  switch (event.op) {
    case 'ping':
      return 'pong';
    case 'nice': {
      // This thread's nice value and the process's (field 19 of /proc/…/stat, after the command's parentheses).
      const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      return { thread: niceOf(readFileSync('/proc/thread-self/stat', 'utf8')), process: niceOf(readFileSync('/proc/self/stat', 'utf8')) };
    }
    case 'hang':
      return new Promise(() => undefined);
    case 'exit':
      setImmediate(() => process.exit(3)); // the thread dies as an instance can
      return new Promise(() => undefined);
    case 'add':
      return Promise.all([box.add(2, 3), box.add(10, 20)]);
    case 'later':
      return box.later(new Date('2026-12-07T00:00:00Z'));
    case 'fail':
      return box.fail();
    case 'notLent':
      return notLent.open();
    case 'inherited':
      return inherited.toString();
  }
};
