// The snapshot file (Node host): how a captured system (vmm/snapshot.ts, an
// encoded object graph) is stored on disk, versioned, checksummed and
// compressed, and read back with a one-line error for anything wrong.
//
// Layout (little-endian):
//   0   8   magic "TSIXSNAP"
//   8   4   file format version (FORMAT_VERSION)
//   12  4   header length H
//   16  4   CRC-32 of the header
//   20  H   header: UTF-8 JSON { meta, sections: [{ name, offset, stored, raw, crc32 }] }
//   ...     the sections, each compressed with raw DEFLATE (RFC 1951):
//           "graph" - the JSON of the graph (objects and the root),
//           "blob"  - the bytes of its buffers (RAM pages, pipe data, ...).
// Each section's CRC-32 is of its uncompressed bytes, so a flipped bit,
// a truncated file or a wrong length is found before anything is decoded.
// `meta` is the host's: what it needs to rebuild the system around the
// graph (the VM's settings, the image and host directories by path, ...).
//
// Concepts: C84 (a snapshot outlives the process that took it).
import { openSync, writeSync, closeSync, renameSync, readFileSync, fsyncSync, unlinkSync } from "node:fs";
import { deflateRawSync, inflateRawSync, crc32 } from "node:zlib";

/** What is stored: a graph's JSON-able part and the bytes of its buffers (vmm/state_codec.ts EncodedGraph has this shape). */
export interface StoredGraph<G = unknown> {
  graph: G;
  blob: Uint8Array;
}

export const MAGIC = "TSIXSNAP";
export const FORMAT_VERSION = 1;
const FIXED = 20;

/** A snapshot file that cannot be read: the message is one line, naming the file and what is wrong. */
export class SnapshotFileError extends Error {}

interface Section { name: string; offset: number; stored: number; raw: number; crc32: number }

/** What writeSnapshotFile reports. */
export interface WrittenSnapshot {
  bytes: number;
  /** Uncompressed sizes of the sections. */
  graphBytes: number;
  blobBytes: number;
  ms: number;
}

/**
 * Write `enc` and `meta` to `path` atomically (a temporary file renamed over
 * it, after fsync), so that a crash mid-write never leaves a half snapshot
 * under the name.
 */
export function writeSnapshotFile(path: string, meta: unknown, enc: StoredGraph): WrittenSnapshot {
  const t0 = performance.now();
  const graphRaw = new TextEncoder().encode(JSON.stringify(enc.graph));
  const parts: { name: string; raw: Uint8Array }[] = [{ name: "graph", raw: graphRaw }, { name: "blob", raw: enc.blob }];
  const stored = parts.map((p) => deflateRawSync(p.raw, { level: 1 }));
  const sections: Section[] = [];
  // The header's length depends on the offsets, which depend on the header's length: fix it by iterating.
  let header = new Uint8Array(0);
  for (let guess = 0; ; ) {
    let at = FIXED + guess;
    sections.length = 0;
    parts.forEach((p, i) => {
      sections.push({ name: p.name, offset: at, stored: stored[i].length, raw: p.raw.length, crc32: crc32(p.raw) });
      at += stored[i].length;
    });
    header = new TextEncoder().encode(JSON.stringify({ meta, sections }));
    if (header.length === guess) break;
    guess = header.length;
  }
  const fixed = new Uint8Array(FIXED);
  const dv = new DataView(fixed.buffer);
  fixed.set(new TextEncoder().encode(MAGIC), 0);
  dv.setUint32(8, FORMAT_VERSION, true);
  dv.setUint32(12, header.length, true);
  dv.setUint32(16, crc32(header), true);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w", 0o600);
  try {
    writeSync(fd, fixed);
    writeSync(fd, header);
    for (const s of stored) writeSync(fd, s);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const bytes = FIXED + header.length + stored.reduce((n, s) => n + s.length, 0);
  return { bytes, graphBytes: graphRaw.length, blobBytes: enc.blob.length, ms: performance.now() - t0 };
}

/** Read and check a snapshot file. Throws SnapshotFileError (one line) for anything wrong with it. */
export function readSnapshotFile(path: string): { meta: unknown; enc: StoredGraph; bytes: number } {
  let file: Uint8Array;
  try {
    file = readFileSync(path);
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SnapshotFileError(code === "ENOENT" ? `${path}: no such file` : code === "EISDIR" ? `${path} is a directory, not a snapshot file` : `${path}: cannot read it (${code ?? "error"})`);
  }
  const bad = (why: string): never => { throw new SnapshotFileError(`${path} ${why}`); };
  if (file.length < FIXED || new TextDecoder().decode(file.subarray(0, 8)) !== MAGIC) bad("is not a tsix snapshot (no TSIXSNAP magic)");
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const version = dv.getUint32(8, true);
  if (version !== FORMAT_VERSION) bad(`is a snapshot of file format ${version}; this tsix reads format ${FORMAT_VERSION}`);
  const hlen = dv.getUint32(12, true);
  if (FIXED + hlen > file.length) bad(`is truncated (${file.length} bytes; its header alone needs ${FIXED + hlen})`);
  const hbytes = file.subarray(FIXED, FIXED + hlen);
  if (crc32(hbytes) !== dv.getUint32(16, true)) bad("is corrupt (its header fails its checksum)");
  let header: { meta?: unknown; sections?: Section[] };
  try {
    header = JSON.parse(new TextDecoder().decode(hbytes)) as typeof header;
  } catch {
    return bad("is corrupt (its header is not JSON)");
  }
  const sections = header.sections;
  if (!Array.isArray(sections)) return bad("is corrupt (its header lists no sections)");
  const raw = new Map<string, Uint8Array>();
  for (const s of sections) {
    if (typeof s?.name !== "string" || !Number.isSafeInteger(s.offset) || !Number.isSafeInteger(s.stored) || !Number.isSafeInteger(s.raw)) bad("is corrupt (a bad section entry)");
    if (s.offset + s.stored > file.length) bad(`is truncated (${file.length} bytes; section ${s.name} ends at ${s.offset + s.stored})`);
    let bytes: Uint8Array;
    try {
      bytes = inflateRawSync(file.subarray(s.offset, s.offset + s.stored), { maxOutputLength: Math.max(1, s.raw) });
    } catch {
      return bad(`is corrupt (section ${s.name} does not decompress)`);
    }
    if (bytes.length !== s.raw || crc32(bytes) !== s.crc32) bad(`is corrupt (section ${s.name} fails its checksum)`);
    raw.set(s.name, bytes);
  }
  const g = raw.get("graph"), blob = raw.get("blob");
  if (!g || !blob) return bad("is corrupt (a section is missing)");
  let graph: unknown;
  try {
    graph = JSON.parse(new TextDecoder().decode(g));
  } catch {
    return bad("is corrupt (its graph is not JSON)");
  }
  return { meta: header.meta, enc: { graph, blob }, bytes: file.length };
}
