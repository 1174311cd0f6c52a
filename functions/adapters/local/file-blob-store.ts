/** BlobStore on the local disk (.local-data/uploads, or a temp folder for --memory runs). */
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobStore } from '../../ports/blob-store';

export class FileBlobStore implements BlobStore {
  private readonly root: string;
  constructor(root: string) {
    this.root = resolve(root);
  }

  private path(key: string): string {
    const file = resolve(this.root, key);
    if (!file.startsWith(this.root + sep) || key.includes('\0')) throw new Error('blob key outside the store');
    return file;
  }

  async put(key: string, body: Buffer): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.part`, body);
    await rename(`${file}.part`, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(this.path(key));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async putStream(key: string, body: Readable): Promise<void> {
    const file = this.path(key);
    await mkdir(dirname(file), { recursive: true });
    await pipeline(body, createWriteStream(`${file}.part`));
    await rename(`${file}.part`, file);
  }
}
