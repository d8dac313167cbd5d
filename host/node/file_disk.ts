// A disk image in a host file, for Node: the BlockBackend (host/block.ts) that
// virtio-blk reads and writes when tsix boots from an image on disk. Two
// modes: "sync" (the default) reads and writes the file with positioned
// synchronous I/O and completes every request at once; "async" starts each
// request with Node's asynchronous fs calls (the libuv thread pool) and
// returns a pending ticket, completed from the event loop - the way a
// browser host (OPFS, fetch) has to answer, exercised here on Node. flush()
// is fsync in both, so a write the guest has flushed survives a host crash.
//
// Concepts: C60 (sectors by LBA on a real image file), C65 (flush is the
// durability point a journal relies on).

import * as fs from 'node:fs';
import { SECTOR_SIZE, checkRange } from '../../hw/disk.js';
import type { BlockBackend, BlockCompletion, BlockPending } from '../block.js';

export interface FileDisk extends BlockBackend {
  readonly path: string;
  /** Close the file. Later reads and writes throw. */
  close(): void;
}

/** Why a disk image cannot be used, for the caller's remedy. */
export type DiskProblem = 'missing' | 'not-a-file' | 'permission' | 'other';

/** A disk image that cannot be used; the message is one line, e.g. "disk image foo.img: no such file". */
export class DiskError extends Error {
  constructor(message: string, readonly problem: DiskProblem) {
    super(message);
  }
}

function problemOf(err: unknown): DiskProblem {
  switch ((err as { code?: unknown } | null)?.code) {
    case 'ENOENT': case 'ENOTDIR': return 'missing';
    case 'EISDIR': case 'ENXIO': case 'ENODEV': return 'not-a-file';
    case 'EACCES': case 'EPERM': case 'EROFS': return 'permission';
    default: return 'other';
  }
}

export interface FileDiskOptions {
  readOnly?: boolean;
  /** "sync" (default): every request completes at once; "async": requests complete later, from the event loop. */
  io?: 'sync' | 'async';
  /** async only: hold each completion back this many milliseconds more (tests: a slow disk). */
  delayMs?: number;
}

/** The one-line reason in a Node error, e.g. "no such file". */
function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'ENOTDIR': return 'a component of the path is not a directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory, not a disk image file';
    case 'ELOOP': return 'too many symbolic links';
    case 'ENXIO': case 'ENODEV': return 'a device that cannot be opened';
    case 'EROFS': return 'read-only file system (try read-only)';
    default: return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

/**
 * Open the image at `path`. The capacity is the file size in whole sectors (a
 * trailing partial sector is not used). Throws a DiskError with a one-line
 * message such as "disk image foo.img: no such file" when the file cannot be
 * opened or is not a regular file (a directory, /dev/null, a FIFO: a disk has
 * a fixed size, and reading a FIFO would block the whole machine).
 */
export function openFileDisk(path: string, opts: FileDiskOptions = {}): FileDisk {
  const readOnly = opts.readOnly ?? false;
  let fd: number;
  let size: number;
  try {
    fd = fs.openSync(path, readOnly ? 'r' : 'r+');
  } catch (err) {
    throw new DiskError(`disk image ${path}: ${reason(err)}`, problemOf(err));
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new DiskError(`disk image ${path}: is a directory, not a disk image file`, 'not-a-file');
    if (!st.isFile()) throw new DiskError(`disk image ${path}: not a regular file`, 'not-a-file');
    size = st.size;
  } catch (err) {
    fs.closeSync(fd);
    throw err instanceof DiskError ? err : new DiskError(`disk image ${path}: ${reason(err)}`, problemOf(err));
  }
  let open = true;
  // Asynchronous mode: requests started and not finished; close() waits for them.
  let inflight = 0;
  let closeWhenIdle = false;

  function checkOpen(): void {
    if (!open) throw new Error(`disk image ${path}: already closed`);
  }

  const disk: FileDisk = {
    path,
    sectors: Math.floor(size / SECTOR_SIZE),
    readOnly,
    read(sector: number, buf: Uint8Array): void {
      checkOpen();
      checkRange(disk, sector, buf);
      let done = 0;
      while (done < buf.length) {
        const n = fs.readSync(fd, buf, done, buf.length - done, sector * SECTOR_SIZE + done);
        if (n === 0) break; // the file shrank under us: the rest reads as zeros
        done += n;
      }
      if (done < buf.length) buf.fill(0, done);
    },
    write(sector: number, buf: Uint8Array): void {
      checkOpen();
      if (readOnly) throw new Error(`disk image ${path}: opened read-only`);
      checkRange(disk, sector, buf);
      let done = 0;
      while (done < buf.length) {
        done += fs.writeSync(fd, buf, done, buf.length - done, sector * SECTOR_SIZE + done);
      }
    },
    flush(): void {
      checkOpen();
      if (!readOnly) fs.fsyncSync(fd);
    },
    close(): void {
      if (!open) return;
      open = false;
      // Requests still in flight finish first (their callbacks use the descriptor).
      if (inflight > 0) closeWhenIdle = true;
      else fs.closeSync(fd);
    },
  };
  if (opts.io !== 'async') return disk;

  // --- asynchronous mode ---
  let nextTicket = 1;
  const completed: BlockCompletion[] = [];
  let notify: (() => void) | null = null;
  const delayMs = opts.delayMs ?? 0;
  function finish(ticket: number, err: unknown): void {
    const done = (): void => {
      inflight--;
      completed.push({ ticket, error: err ? reason(err) : null });
      if (closeWhenIdle && inflight === 0) { closeWhenIdle = false; fs.close(fd, () => {}); }
      notify?.();
    };
    if (delayMs > 0) setTimeout(done, delayMs); else done();
  }
  function start(run: (cb: (err: unknown) => void) => void): BlockPending {
    checkOpen();
    const ticket = nextTicket++;
    inflight++;
    run((err) => finish(ticket, err));
    return { ticket };
  }
  /** Positioned I/O of all of buf, in as many calls as it takes. */
  function rw(write: boolean, buf: Uint8Array, pos: number, cb: (err: unknown) => void): void {
    let done = 0;
    const step = (err: NodeJS.ErrnoException | null, n: number): void => {
      if (err) { cb(err); return; }
      if (n === 0 && !write) { buf.fill(0, done); cb(null); return; } // the file shrank: zeros
      done += n;
      if (done >= buf.length) { cb(null); return; }
      if (write) fs.write(fd, buf, done, buf.length - done, pos + done, step);
      else fs.read(fd, buf, done, buf.length - done, pos + done, step);
    };
    if (write) fs.write(fd, buf, 0, buf.length, pos, step);
    else fs.read(fd, buf, 0, buf.length, pos, step);
  }
  const asyncDisk: FileDisk = {
    path, sectors: disk.sectors, readOnly,
    read(sector: number, buf: Uint8Array): BlockPending {
      checkRange(asyncDisk, sector, buf);
      return start((cb) => rw(false, buf, sector * SECTOR_SIZE, cb));
    },
    write(sector: number, buf: Uint8Array): BlockPending {
      if (readOnly) throw new Error(`disk image ${path}: opened read-only`);
      checkRange(asyncDisk, sector, buf);
      return start((cb) => rw(true, buf, sector * SECTOR_SIZE, cb));
    },
    flush(): BlockPending {
      return start((cb) => { if (readOnly) cb(null); else fs.fsync(fd, (err) => cb(err)); });
    },
    takeCompleted(): BlockCompletion[] {
      return completed.splice(0);
    },
    inFlight(): number {
      return inflight + completed.length;
    },
    onCompletion(cb: (() => void) | null): void {
      notify = cb;
    },
    close: disk.close,
  };
  return asyncDisk;
}
