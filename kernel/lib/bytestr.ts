// Byte strings: how the kernel holds names and arguments.
//
// Linux treats path names, argv, envp, host names, xattr names and socket
// paths as BYTES: any byte but NUL (and '/' inside one path component) is
// allowed, and what a program wrote is what it reads back. A JS string
// decoded as UTF-8 cannot do that: an invalid byte such as 0xff becomes
// U+FFFD, written back as EF BF BD. So inside the kernel a byte string is a
// JS string with ONE CHAR PER BYTE (char codes 0-255, "latin1"/"binary"):
// copyin decodes user bytes that way, copyout and the file systems encode it
// back byte for byte, and string operations (split on "/", compare, Map
// keys) work unchanged because '/' and NUL are single bytes in every
// encoding. A valid UTF-8 name ("한글") is simply its UTF-8 bytes, one char
// each.
//
// Real text (UTF-16 JS strings) exists only at the host boundaries: the CLI's
// argv, environment and mount points given to bootKernel (fromHost), the
// host file names a hostfs adapter passes (host/node/hostfs.ts converts with
// Node's latin1 Buffers), and kernel text shown on the host (toHost).
//
// Note: TextDecoder("latin1") is NOT this mapping (WHATWG maps it to
// windows-1252, which changes 0x80-0x9f), hence the explicit loops here.
//
// Concepts: C05 (the ABI: names are bytes, as Linux defines them), C66
// (names in a file system are byte strings).

/** Chunk size for String.fromCharCode.apply (stays far below engines' argument limits). */
const CHUNK = 8192;

const utf8enc = new TextEncoder();
const utf8dec = new TextDecoder();

/**
 * The byte string of `b` (one char per byte). copyinString calls this for
 * every path: for pure ASCII - nearly every path - the native UTF-8 decoder
 * gives the same string and is the fastest way to make it; only a string
 * with a byte >= 0x80 takes the slower char-by-char way.
 */
export function bytesToStr(b: Uint8Array): string {
  const n = b.length;
  let i = 0;
  while (i < n && b[i] < 0x80) i++;
  if (i === n) return utf8dec.decode(b);
  let s = "";
  for (let o = 0; o < n; o += CHUNK) s += String.fromCharCode.apply(null, b.subarray(o, Math.min(n, o + CHUNK)) as unknown as number[]);
  return s;
}

/** The bytes of byte string `s`, plus a NUL when `nul` (for C strings). */
export function strToBytes(s: string, nul = false): Uint8Array {
  const n = s.length;
  const b = new Uint8Array(nul ? n + 1 : n);
  // ASCII (the usual case): the native encoder fills exactly n bytes. A char >= 0x80
  // needs two UTF-8 bytes, so it stops short (read < n) and the loop redoes it byte for byte.
  if (utf8enc.encodeInto(s, nul ? b.subarray(0, n) : b).read === n) return b;
  for (let i = 0; i < n; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** A host (UTF-16) string as the byte string of its UTF-8 encoding: the CLI's arguments, environment and paths. */
export function fromHost(s: string): string {
  // ASCII is the same in both: no copy.
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return bytesToStr(utf8enc.encode(s));
  return s;
}

/** A byte string as host text (UTF-8 decoded; invalid bytes show as U+FFFD): for display on the host only. */
export function toHost(s: string): string {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return utf8dec.decode(strToBytes(s));
  return s;
}

/**
 * A read of generated file contents (a /proc text, an mqueue's status line):
 * copy what `data` holds from byte `pos` into `buf`; the count, 0 at or past
 * the end.
 */
export function readAt(data: Uint8Array, buf: Uint8Array, pos: number): number {
  if (pos >= data.length) return 0;
  const n = Math.min(buf.length, data.length - pos);
  buf.set(data.subarray(pos, pos + n));
  return n;
}
