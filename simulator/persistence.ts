import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PersistedState } from './state';

/** Optional JSON persistence of citizens and recent deliveries (debounced writes). */
export function loadState(file: string): PersistedState | undefined {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as PersistedState;
    return data && data.version === 1 ? data : undefined;
  } catch {
    return undefined;
  }
}

export class DebouncedWriter {
  private timer: NodeJS.Timeout | undefined;
  private lastWrite = 0;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => PersistedState,
    private readonly debounceMs = 500,
    private readonly minIntervalMs = 2000,
  ) {}

  schedule(): void {
    if (this.timer) return;
    const wait = Math.max(this.debounceMs, this.lastWrite + this.minIntervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.lastWrite = Date.now();
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.snapshot()));
    renameSync(tmp, this.file);
  }
}
