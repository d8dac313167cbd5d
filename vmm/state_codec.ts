// The object-graph codec of snapshots: a kernel's state (and the machine's)
// is a graph of plain data - objects, arrays, Maps, Sets, typed arrays,
// numbers, strings, bigints - with shared references and cycles (a task's
// parent, files shared by two descriptor tables, an inode on an LRU list).
// This module turns such a graph into JSON plus one byte blob, and back,
// keeping every identity: what two paths reached as one object before, they
// reach as one object after.
//
// Why not structuredClone or v8.serialize: a snapshot crosses processes and
// hosts (a browser has no v8.serialize), the format must be versioned by us,
// and two things need special care that a generic serializer cannot give:
//   - views over the machine's memory (the kernel's window on guest RAM and
//     hart registers) must not copy the 256 MiB they look at: they are stored
//     as "a view of external buffer NAME at OFFSET", and the restoring side
//     names the new machine's buffer;
//   - anything that is not data (a function, a class instance, a symbol) is
//     an error that names the path where it was found, so "kernel state is
//     data" is checked every time a snapshot is taken.
//
// The encoding. Every object gets an index in `objects`; a value is either a
// JSON primitive (string, finite number other than -0, boolean, null) or a
// tagged array:
//   ["r", i]        the object with index i
//   ["u"]           undefined            ["h"]  an array hole
//   ["n", "NaN"]    NaN, Infinity, -Infinity or -0
//   ["i", "123"]    a bigint
// and each object is one of:
//   ["O", [key, value, key, value, ...]]     a plain object (null prototype: "ON")
//   ["A", [value, ...]]                      an array
//   ["M", [key, value, ...]]  ["S", [value, ...]]   a Map, a Set
//   ["B", offset, length]                    an ArrayBuffer: its bytes are blob[offset, offset+length)
//   ["X", name]                              an external buffer (named by the caller)
//   ["V", type, buffer index, byteOffset, length]   a typed array or DataView over a buffer object
// Buffers are padded to 8 bytes in the blob so that any view of them can be
// made without copying.
//
// Concepts: C84 (kernel state is data: snapshot, restore, replay).

export class StateCodecError extends Error {}

type Val = string | number | boolean | null | ["r", number] | ["u"] | ["h"] | ["n", string] | ["i", string];
type Obj =
  | ["O" | "ON", Val[]]
  | ["A", Val[]]
  | ["M", Val[]]
  | ["S", Val[]]
  | ["B", number, number]
  | ["X", string]
  | ["V", string, number, number, number];

/** An encoded graph: JSON-able structure plus the bytes of every buffer. */
export interface EncodedGraph {
  /** The root value and the object table (JSON.stringify-able). */
  graph: { root: Val; objects: Obj[] };
  /** The bytes of the graph's ArrayBuffers, concatenated (8-byte aligned). */
  blob: Uint8Array;
}

type View = ArrayBufferView & { readonly length?: number };

/** The typed-array constructors a graph may hold, by name (Node's Buffer is stored as a Uint8Array). */
const VIEW_TYPES: Record<string, new (b: ArrayBuffer, off: number, len: number) => ArrayBufferView> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
};

function viewType(v: ArrayBufferView): string {
  if (v instanceof DataView) return "DataView";
  for (const name of Object.keys(VIEW_TYPES)) {
    if (name !== "DataView" && v instanceof (VIEW_TYPES[name] as unknown as typeof Uint8Array)) {
      // Buffer (and any other subclass) becomes its base typed array.
      return name;
    }
  }
  throw new StateCodecError(`unknown view type ${Object.prototype.toString.call(v)}`);
}

function isPlainProto(p: unknown): boolean {
  return p === Object.prototype || p === null;
}

/**
 * Encode `root`. `external` names buffers that must not be copied (the
 * machine's memory): views over them are stored by name and offset.
 * Throws StateCodecError naming the path of the first function, class
 * instance or other non-data value.
 */
export function encodeGraph(root: unknown, external: ReadonlyMap<ArrayBufferLike, string> = new Map()): EncodedGraph {
  const index = new Map<object, number>();
  const objects: Obj[] = [];
  const work: { o: object; path: string }[] = [];
  const chunks: Uint8Array[] = [];
  let blobLen = 0;

  const ref = (o: object, path: string): Val => {
    let i = index.get(o);
    if (i === undefined) {
      i = objects.length;
      index.set(o, i);
      objects.push(["A", []]); // filled when the work list reaches it
      work.push({ o, path });
    }
    return ["r", i];
  };

  const val = (v: unknown, path: string): Val => {
    switch (typeof v) {
      case "string": case "boolean": return v;
      case "number":
        if (!Number.isFinite(v)) return ["n", String(v)];
        if (v === 0 && 1 / v < 0) return ["n", "-0"];
        return v;
      case "undefined": return ["u"];
      case "bigint": return ["i", v.toString()];
      case "object": return v === null ? null : ref(v, path);
      default:
        throw new StateCodecError(`${path} holds a ${typeof v}, which is not data`);
    }
  };

  const bufferObj = (b: ArrayBufferLike, path: string): Obj => {
    const name = external.get(b);
    if (name !== undefined) return ["X", name];
    if (!(b instanceof ArrayBuffer)) throw new StateCodecError(`${path} is a view of a shared buffer, which a snapshot cannot copy`);
    const off = blobLen;
    chunks.push(new Uint8Array(b));
    blobLen += b.byteLength;
    const pad = (8 - (blobLen % 8)) % 8;
    if (pad) { chunks.push(new Uint8Array(pad)); blobLen += pad; }
    return ["B", off, b.byteLength];
  };

  const rootVal = val(root, "state");
  while (work.length > 0) {
    const { o, path } = work.pop()!;
    const i = index.get(o)!;
    if (ArrayBuffer.isView(o)) {
      const b = ref(o.buffer, `${path}.buffer`);
      const len = o instanceof DataView ? o.byteLength : (o as View).length!;
      objects[i] = ["V", viewType(o), (b as ["r", number])[1], o.byteOffset, len];
    } else if (o instanceof ArrayBuffer || (typeof SharedArrayBuffer !== "undefined" && o instanceof SharedArrayBuffer)) {
      objects[i] = bufferObj(o, path);
    } else if (Array.isArray(o)) {
      const out: Val[] = new Array(o.length);
      for (let j = 0; j < o.length; j++) out[j] = j in o ? val(o[j], `${path}[${j}]`) : ["h"];
      objects[i] = ["A", out];
    } else if (o instanceof Map) {
      const out: Val[] = [];
      for (const [key, v] of o) { out.push(val(key, `${path}.<key>`), val(v, `${path}.get(${String(key)})`)); }
      objects[i] = ["M", out];
    } else if (o instanceof Set) {
      const out: Val[] = [];
      for (const v of o) out.push(val(v, `${path}.<member>`));
      objects[i] = ["S", out];
    } else {
      const proto = Object.getPrototypeOf(o);
      if (!isPlainProto(proto)) {
        const name = (proto as { constructor?: { name?: string } }).constructor?.name ?? "?";
        throw new StateCodecError(`${path} is an instance of ${name}, not plain data`);
      }
      if (Object.getOwnPropertySymbols(o).length > 0) throw new StateCodecError(`${path} has symbol-keyed properties`);
      const out: Val[] = [];
      for (const key of Object.keys(o)) {
        const d = Object.getOwnPropertyDescriptor(o, key)!;
        if (d.get || d.set) throw new StateCodecError(`${path}.${key} is an accessor, not data`);
        out.push(key, val(d.value, `${path}.${key}`));
      }
      objects[i] = [proto === null ? "ON" : "O", out];
    }
  }
  const blob = new Uint8Array(blobLen);
  let at = 0;
  for (const c of chunks) { blob.set(c, at); at += c.length; }
  return { graph: { root: rootVal, objects }, blob };
}

/**
 * Decode what encodeGraph made. `external` gives the buffers named at
 * encoding (the new machine's memory). Throws StateCodecError on anything
 * malformed (a file that passed its checksums but holds nonsense).
 */
export function decodeGraph(enc: EncodedGraph, external: ReadonlyMap<string, ArrayBufferLike> = new Map()): unknown {
  const { objects } = enc.graph;
  const { blob } = enc;
  if (!Array.isArray(objects)) throw new StateCodecError("the object table is missing");
  const made: unknown[] = new Array(objects.length);
  const bad = (i: number, why: string): never => { throw new StateCodecError(`object ${i}: ${why}`); };
  // Pass 1: buffers (views need them), and empty containers.
  for (let i = 0; i < objects.length; i++) {
    const e = objects[i];
    if (!Array.isArray(e)) bad(i, "not an entry");
    switch (e[0]) {
      case "B": {
        const [, off, len] = e;
        if (!Number.isSafeInteger(off) || !Number.isSafeInteger(len) || off < 0 || len < 0 || off + len > blob.length) bad(i, "buffer outside the blob");
        // A copy in a buffer of its own (not blob.slice: a Node Buffer's slice shares memory).
        made[i] = new Uint8Array(blob.subarray(off, off + len)).buffer;
        break;
      }
      case "X": {
        const b = external.get(e[1]);
        if (!b) bad(i, `no external buffer named ${String(e[1])}`);
        made[i] = b;
        break;
      }
      case "O": made[i] = {}; break;
      case "ON": made[i] = Object.create(null); break;
      case "A": made[i] = []; break;
      case "M": made[i] = new Map(); break;
      case "S": made[i] = new Set(); break;
      case "V": break;
      default: bad(i, `unknown kind ${String(e[0])}`);
    }
  }
  // Pass 2: views over the buffers.
  for (let i = 0; i < objects.length; i++) {
    const e = objects[i];
    if (e[0] !== "V") continue;
    const [, type, bi, off, len] = e;
    const ctor = Object.hasOwn(VIEW_TYPES, type) ? VIEW_TYPES[type] : undefined;
    const buf = made[bi];
    if (!ctor) bad(i, `unknown view type ${String(type)}`);
    if (!(buf instanceof ArrayBuffer) && !(typeof SharedArrayBuffer !== "undefined" && buf instanceof SharedArrayBuffer)) bad(i, "a view of something that is not a buffer");
    try {
      made[i] = new ctor!(buf as ArrayBuffer, off, len);
    } catch {
      bad(i, `a ${type} of ${len} at ${off} does not fit its buffer`);
    }
  }
  const val = (v: Val): unknown => {
    if (v === null || typeof v !== "object") return v;
    switch (v[0]) {
      case "r": {
        const i = v[1];
        if (!Number.isInteger(i) || i < 0 || i >= made.length) throw new StateCodecError(`reference to missing object ${String(i)}`);
        return made[i];
      }
      case "u": return undefined;
      case "n": return v[1] === "-0" ? -0 : Number(v[1]);
      case "i": return BigInt(v[1]);
      default: throw new StateCodecError(`unknown value tag ${String(v[0])}`);
    }
  };
  // Pass 3: fill containers.
  for (let i = 0; i < objects.length; i++) {
    const e = objects[i];
    const o = made[i];
    switch (e[0]) {
      case "O": case "ON": {
        const kv = e[1];
        const rec = o as Record<string, unknown>;
        for (let j = 0; j + 1 < kv.length; j += 2) {
          // defineProperty, not assignment: a key named "__proto__" stays a key.
          Object.defineProperty(rec, String(kv[j]), { value: val(kv[j + 1]), writable: true, enumerable: true, configurable: true });
        }
        break;
      }
      case "A": {
        const a = o as unknown[];
        const items = e[1];
        a.length = items.length;
        for (let j = 0; j < items.length; j++) {
          const it = items[j];
          if (Array.isArray(it) && it[0] === "h") continue;
          a[j] = val(it);
        }
        break;
      }
      case "M": {
        const m = o as Map<unknown, unknown>;
        const kv = e[1];
        for (let j = 0; j + 1 < kv.length; j += 2) m.set(val(kv[j]), val(kv[j + 1]));
        break;
      }
      case "S": {
        const s = o as Set<unknown>;
        for (const it of e[1]) s.add(val(it));
        break;
      }
      default: break;
    }
  }
  return val(enc.graph.root);
}
