// A disk image in a host file, for Node: the BlockBackend (hw/disk.ts) that
// virtio-blk reads and writes when tsix boots from an image on disk. Reads and
// writes go straight to the file with positioned synchronous I/O; flush() is
// fsync, so a write the guest has flushed survives a host crash.
//
// Concepts: C60 (sectors by LBA on a real image file), C65 (flush is the
// durability point a journal relies on).

import * as fs from 'node:fs';
import { SECTOR_SIZE, checkRange, type BlockBackend } from '../../hw/disk.js';

export interface FileDisk extends BlockBackend {
  readonly path: string;
  /** Close the file. Later reads and writes throw. */
  close(): void;
}

export interface FileDiskOptions {
  readOnly?: boolean;
}

/** The one-line reason in a Node error, e.g. "no such file". */
function reason(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    case 'EROFS': return 'read-only file system (try read-only)';
    default: return err instanceof Error ? err.message.split('\n')[0] : String(err);
  }
}

/**
 * Open the image at `path`. The capacity is the file size in whole sectors (a
 * trailing partial sector is not used). Throws an Error with a one-line message
 * such as "disk image foo.img: no such file" when the file cannot be opened.
 */
export function openFileDisk(path: string, opts: FileDiskOptions = {}): FileDisk {
  const readOnly = opts.readOnly ?? false;
  let fd: number;
  let size: number;
  try {
    fd = fs.openSync(path, readOnly ? 'r' : 'r+');
  } catch (err) {
    throw new Error(`disk image ${path}: ${reason(err)}`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile() && !st.isBlockDevice()) throw new Error('not a regular file');
    size = st.size;
  } catch (err) {
    fs.closeSync(fd);
    throw new Error(`disk image ${path}: ${reason(err)}`);
  }
  let open = true;

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
      fs.closeSync(fd);
    },
  };
  return disk;
}
