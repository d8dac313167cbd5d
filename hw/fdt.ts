// A writer for flattened device trees (DTB, format version 17, from the
// Devicetree Specification, chapter 5): how the machine tells a kernel what
// hardware it has and where (memory, harts, interrupt controllers, devices),
// the way firmware hands a DTB to Linux in a1 at boot.
//
// Build a tree with a small streaming API, then finish() it:
//   const b = createFdtBuilder();
//   b.beginNode('');                       // the root
//   b.propU32('#address-cells', 2);
//   const ph = b.allocPhandle();
//   b.beginNode('intc'); b.propU32('phandle', ph); b.endNode();
//   b.endNode();
//   const dtb = b.finish();
// Properties of a node must come before its children (the format requires it).
//
// Layout of the blob: a 40-byte header, the memory reservation block (pairs
// of u64 address and size, ended by a zero pair), the structure block (tokens
// BEGIN_NODE name / PROP len nameoff value / END_NODE ... END, each 4-byte
// aligned) and the strings block (property names, each stored once). All
// integers are big-endian.
//
// Concepts: C10 (firmware describing the machine to the boot loader/kernel).

export const FDT_MAGIC = 0xd00dfeed;
export const FDT_VERSION = 17;
export const FDT_LAST_COMP_VERSION = 16;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_END = 9;
const HEADER_SIZE = 40;

export interface FdtBuilder {
  beginNode(name: string): void;
  endNode(): void;
  /** A property with no value (a flag such as interrupt-controller). */
  propEmpty(name: string): void;
  propU32(name: string, value: number): void;
  /** A list of 32-bit cells, e.g. reg with #address-cells 1 or interrupts-extended. */
  propCells(name: string, cells: readonly number[]): void;
  propU64(name: string, value: number | bigint): void;
  /** A list of 64-bit values, each stored as two cells (reg with 2 address and 2 size cells). */
  propU64s(name: string, values: readonly (number | bigint)[]): void;
  propString(name: string, value: string): void;
  propStrings(name: string, values: readonly string[]): void;
  propBytes(name: string, value: Uint8Array): void;
  /** A fresh phandle (1, 2, ...) to store with propU32('phandle', ...) and reference from other nodes. */
  allocPhandle(): number;
  /** Reserve a range of memory from the kernel's use. */
  addReservation(address: number | bigint, size: number | bigint): void;
  /** The DTB. All nodes must be closed. */
  finish(opts?: { bootCpuid?: number }): Uint8Array;
}

/** A big-endian byte buffer that grows as needed. */
class ByteWriter {
  buf = new Uint8Array(1024);
  view = new DataView(this.buf.buffer);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const grown = new Uint8Array(size);
    grown.set(this.buf.subarray(0, this.length));
    this.buf = grown;
    this.view = new DataView(grown.buffer);
  }

  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v >>> 0);
    this.length += 4;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Zero bytes up to a multiple of 4. */
  align4(): void {
    const pad = (4 - (this.length & 3)) & 3;
    this.reserve(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }
}

const encoder = new TextEncoder();

function u64(v: number | bigint): bigint {
  const b = typeof v === 'bigint' ? v : BigInt(v);
  if (b < 0n || b > 0xffffffffffffffffn) throw new RangeError(`fdt: ${v} does not fit in 64 bits`);
  return b;
}

function cString(s: string): Uint8Array {
  const enc = encoder.encode(s);
  if (enc.includes(0)) throw new Error(`fdt: string contains NUL: ${JSON.stringify(s)}`);
  const out = new Uint8Array(enc.length + 1);
  out.set(enc);
  return out;
}

export function createFdtBuilder(): FdtBuilder {
  const struct = new ByteWriter();
  const strings = new ByteWriter();
  const nameOffsets = new Map<string, number>();
  const reservations: Array<[bigint, bigint]> = [];
  let depth = 0;
  let rootDone = false;
  let childSeen = false; // the open node already has a child: no more properties
  let nextPhandle = 1;

  function nameOffset(name: string): number {
    let off = nameOffsets.get(name);
    if (off === undefined) {
      off = strings.length;
      strings.bytes(cString(name));
      nameOffsets.set(name, off);
    }
    return off;
  }

  function prop(name: string, value: Uint8Array): void {
    if (depth === 0) throw new Error(`fdt: property ${name} outside any node`);
    if (childSeen) throw new Error(`fdt: property ${name} after a child node`);
    if (name.length === 0 || name.length > 31) throw new Error(`fdt: bad property name ${JSON.stringify(name)}`);
    struct.u32(FDT_PROP);
    struct.u32(value.length);
    struct.u32(nameOffset(name));
    struct.bytes(value);
    struct.align4();
  }

  function cells(values: readonly number[]): Uint8Array {
    const out = new Uint8Array(4 * values.length);
    const view = new DataView(out.buffer);
    values.forEach((v, i) => {
      if (!(Number.isInteger(v) && v >= 0 && v <= 0xffffffff)) throw new RangeError(`fdt: cell ${v} is not a u32`);
      view.setUint32(4 * i, v);
    });
    return out;
  }

  function u64s(values: readonly (number | bigint)[]): Uint8Array {
    const out = new Uint8Array(8 * values.length);
    const view = new DataView(out.buffer);
    values.forEach((v, i) => view.setBigUint64(8 * i, u64(v)));
    return out;
  }

  return {
    beginNode(name: string): void {
      if (depth === 0 && (rootDone || name !== '')) throw new Error('fdt: the tree has exactly one root, named ""');
      if (depth > 0 && name.length === 0) throw new Error('fdt: only the root has an empty name');
      struct.u32(FDT_BEGIN_NODE);
      struct.bytes(cString(name));
      struct.align4();
      depth++;
      childSeen = false;
    },
    endNode(): void {
      if (depth === 0) throw new Error('fdt: endNode without beginNode');
      struct.u32(FDT_END_NODE);
      depth--;
      childSeen = true; // the parent now has a child
      if (depth === 0) rootDone = true;
    },
    propEmpty(name: string): void {
      prop(name, new Uint8Array(0));
    },
    propU32(name: string, value: number): void {
      prop(name, cells([value]));
    },
    propCells(name: string, values: readonly number[]): void {
      prop(name, cells(values));
    },
    propU64(name: string, value: number | bigint): void {
      prop(name, u64s([value]));
    },
    propU64s(name: string, values: readonly (number | bigint)[]): void {
      prop(name, u64s(values));
    },
    propString(name: string, value: string): void {
      prop(name, cString(value));
    },
    propStrings(name: string, values: readonly string[]): void {
      const parts = values.map(cString);
      const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      prop(name, out);
    },
    propBytes(name: string, value: Uint8Array): void {
      prop(name, value);
    },
    allocPhandle(): number {
      return nextPhandle++;
    },
    addReservation(address: number | bigint, size: number | bigint): void {
      reservations.push([u64(address), u64(size)]);
    },
    finish(opts: { bootCpuid?: number } = {}): Uint8Array {
      if (depth !== 0) throw new Error(`fdt: ${depth} node(s) left open`);
      if (!rootDone) throw new Error('fdt: no root node');
      const offRsv = HEADER_SIZE; // already 8-byte aligned
      const rsvSize = 16 * (reservations.length + 1);
      const offStruct = offRsv + rsvSize;
      const structSize = struct.length + 4; // + FDT_END
      const offStrings = offStruct + structSize;
      const total = offStrings + strings.length;
      const out = new Uint8Array(total);
      const view = new DataView(out.buffer);
      view.setUint32(0, FDT_MAGIC);
      view.setUint32(4, total);
      view.setUint32(8, offStruct);
      view.setUint32(12, offStrings);
      view.setUint32(16, offRsv);
      view.setUint32(20, FDT_VERSION);
      view.setUint32(24, FDT_LAST_COMP_VERSION);
      view.setUint32(28, opts.bootCpuid ?? 0);
      view.setUint32(32, strings.length);
      view.setUint32(36, structSize);
      reservations.forEach(([a, s], i) => {
        view.setBigUint64(offRsv + 16 * i, a);
        view.setBigUint64(offRsv + 16 * i + 8, s);
      });
      out.set(struct.buf.subarray(0, struct.length), offStruct);
      view.setUint32(offStruct + struct.length, FDT_END);
      out.set(strings.buf.subarray(0, strings.length), offStrings);
      return out;
    },
  };
}
