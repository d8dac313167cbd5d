// Tests of the device-tree writer (hw/fdt.ts) and the machine's tree
// (hw/machine_dtb.ts). The blobs are decompiled by the reference tool, dtc
// (Debian package device-tree-compiler), which must accept them with no error
// and no warning; the decompiled source is then parsed back and checked:
// memory, harts, timebase, the CLINT/PLIC interrupt wiring by phandle, every
// device's address and IRQ, /chosen. Proves the kernel gets a correct map of
// the machine (C10, C11).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createFdtBuilder, FDT_MAGIC } from '../../../hw/fdt.js';
import { buildMachineDtb } from '../../../hw/machine_dtb.js';

const haveDtc = spawnSync('dtc', ['--version']).status === 0;
const skip = haveDtc ? false : 'dtc not installed (Debian package device-tree-compiler)';

/** Decompile with dtc; fail on any error or warning. */
function dtc(dtb: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsix-dtb-'));
  try {
    const file = path.join(dir, 'm.dtb');
    fs.writeFileSync(file, dtb);
    const r = spawnSync('dtc', ['-I', 'dtb', '-O', 'dts', file], { encoding: 'utf8' });
    assert.equal(r.status, 0, `dtc failed: ${r.stderr}`);
    assert.equal(r.stderr, '', 'dtc printed warnings');
    return r.stdout;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- a small parser for dtc's output -------------------------------------
interface DtsNode { props: Map<string, Uint8Array>; children: Map<string, DtsNode> }

/** Parse one property value (cells, strings, byte strings, comma-separated) to its bytes. */
function parseValue(text: string): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === ',') { i++; continue; }
    if (ch === '<') {
      const end = text.indexOf('>', i);
      for (const cell of text.slice(i + 1, end).trim().split(/\s+/)) {
        if (cell === '') continue;
        const v = Number(cell);
        out.push((v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
      }
      i = end + 1;
    } else if (ch === '[') {
      const end = text.indexOf(']', i);
      for (const b of text.slice(i + 1, end).trim().split(/\s+/)) if (b !== '') out.push(parseInt(b, 16));
      i = end + 1;
    } else if (ch === '"') {
      i++;
      while (text[i] !== '"') {
        if (text[i] === '\\') {
          const e = text[i + 1];
          if (e === 'x') { out.push(parseInt(text.slice(i + 2, i + 4), 16)); i += 4; continue; }
          if (e >= '0' && e <= '7') {
            let j = i + 1;
            while (j < i + 4 && text[j] >= '0' && text[j] <= '7') j++;
            out.push(parseInt(text.slice(i + 1, j), 8));
            i = j;
            continue;
          }
          const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, v: 11, f: 12, '\\': 92, '"': 34, "'": 39 };
          out.push(simple[e] ?? e.charCodeAt(0));
          i += 2;
        } else {
          out.push(...new TextEncoder().encode(text[i]));
          i++;
        }
      }
      out.push(0);
      i++;
    } else {
      throw new Error(`cannot parse value: ${text}`);
    }
  }
  return Uint8Array.from(out);
}

function parseDts(text: string): { root: DtsNode; memreserve: string[] } {
  const root: DtsNode = { props: new Map(), children: new Map() };
  const stack: DtsNode[] = [];
  const memreserve: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line === '/dts-v1/;') continue;
    if (line.startsWith('/memreserve/')) { memreserve.push(line); continue; }
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^(\S+) \{$/))) {
      const node: DtsNode = { props: new Map(), children: new Map() };
      if (stack.length === 0) { assert.equal(m[1], '/'); stack.push(root); continue; }
      stack[stack.length - 1].children.set(m[1], node);
      stack.push(node);
    } else if (line === '};') {
      stack.pop();
    } else if ((m = line.match(/^([^\s=]+);$/))) {
      stack[stack.length - 1].props.set(m[1], new Uint8Array(0));
    } else if ((m = line.match(/^([^\s=]+) = (.*);$/))) {
      stack[stack.length - 1].props.set(m[1], parseValue(m[2]));
    } else {
      throw new Error(`unexpected dts line: ${line}`);
    }
  }
  assert.equal(stack.length, 0, 'balanced braces');
  return { root, memreserve };
}

function node(root: DtsNode, p: string): DtsNode {
  let n = root;
  for (const part of p.split('/').filter((x) => x !== '')) {
    const child = n.children.get(part);
    assert.ok(child, `node ${p} exists (missing ${part})`);
    n = child;
  }
  return n;
}

function prop(root: DtsNode, p: string, name: string): Uint8Array {
  const v = node(root, p).props.get(name);
  assert.ok(v, `${p} has ${name}`);
  return v;
}

function cells(root: DtsNode, p: string, name: string): number[] {
  const v = prop(root, p, name);
  assert.equal(v.length % 4, 0, `${p}:${name} is cells`);
  const dv = new DataView(v.buffer, v.byteOffset, v.byteLength);
  return Array.from({ length: v.length / 4 }, (_, i) => dv.getUint32(4 * i));
}

function strings(root: DtsNode, p: string, name: string): string[] {
  const v = prop(root, p, name);
  assert.equal(v[v.length - 1], 0, `${p}:${name} is NUL-terminated`);
  return new TextDecoder().decode(v.subarray(0, v.length - 1)).split('\0');
}

// ---- tests ------------------------------------------------------------------
test('builder: header, deduplicated strings, reservations, and misuse errors', { skip }, () => {
  const b = createFdtBuilder();
  b.addReservation(0x80000000, 0x200000);
  b.beginNode('');
  b.propU32('#address-cells', 1);
  b.propU32('#size-cells', 1);
  b.propString('compatible', 'tsix,test');
  for (let i = 0; i < 3; i++) {
    b.beginNode(`dev@${i}`);
    b.propString('compatible', 'tsix,dev');
    b.propCells('reg', [i, 4]);
    b.propBytes('blob', Uint8Array.of(1, 2, 3));
    b.propU64('big', 0x123456789abcdefn);
    b.propEmpty('flag');
    b.endNode();
  }
  assert.throws(() => b.propU32('late', 1), /after a child/);
  b.endNode();
  assert.throws(() => b.beginNode('second-root'), /one root/);
  const dtb = b.finish({ bootCpuid: 0 });
  const dv = new DataView(dtb.buffer, dtb.byteOffset, dtb.byteLength);
  assert.equal(dv.getUint32(0), FDT_MAGIC);
  assert.equal(dv.getUint32(4), dtb.length, 'totalsize');
  assert.equal(dv.getUint32(20), 17, 'version');
  assert.equal(dv.getUint32(24), 16, 'last compatible version');
  const strOff = dv.getUint32(12);
  const strSize = dv.getUint32(32);
  const names = new TextDecoder().decode(dtb.subarray(strOff, strOff + strSize)).split('\0').filter((s) => s !== '');
  assert.deepEqual(names.sort(), ['#address-cells', '#size-cells', 'big', 'blob', 'compatible', 'flag', 'reg'],
    'each property name stored once');

  const { root, memreserve } = parseDts(dtc(dtb));
  assert.equal(memreserve.length, 1);
  const [addr, size] = (memreserve[0].match(/0x[0-9a-f]+/g) ?? []).map((x) => BigInt(x));
  assert.equal(addr, 0x80000000n);
  assert.equal(size, 0x200000n);
  assert.deepEqual(cells(root, '/dev@2', 'reg'), [2, 4]);
  assert.deepEqual(prop(root, '/dev@1', 'blob'), Uint8Array.of(1, 2, 3));
  assert.deepEqual(cells(root, '/dev@0', 'big'), [0x01234567, 0x89abcdef]);
  assert.equal(prop(root, '/dev@0', 'flag').length, 0);

  const open = createFdtBuilder();
  open.beginNode('');
  assert.throws(() => open.finish(), /left open/);
  assert.throws(() => createFdtBuilder().endNode(), /without beginNode/);
});

test('machine DTB: dtc accepts it cleanly and it describes the virt machine', { skip }, () => {
  const memSize = 5 * 2 ** 30; // more than 4 GiB: both reg cells are used
  const { root } = parseDts(dtc(buildMachineDtb({
    memBase: 0x80000000, memSize, harts: 2, bootargs: 'console=ttyS0 root=/dev/vda1',
    initrd: { start: 0x88000000, end: 0x88123400 }, virtioSlots: 8,
  })));

  assert.deepEqual(cells(root, '/', '#address-cells'), [2]);
  assert.deepEqual(cells(root, '/', '#size-cells'), [2]);
  assert.deepEqual(strings(root, '/memory@80000000', 'device_type'), ['memory']);
  assert.deepEqual(cells(root, '/memory@80000000', 'reg'), [0, 0x80000000, 1, 0x40000000]);

  // /chosen
  assert.deepEqual(strings(root, '/chosen', 'bootargs'), ['console=ttyS0 root=/dev/vda1']);
  assert.deepEqual(strings(root, '/chosen', 'stdout-path'), ['/soc/serial@10000000']);
  assert.deepEqual(cells(root, '/chosen', 'linux,initrd-start'), [0, 0x88000000]);
  assert.deepEqual(cells(root, '/chosen', 'linux,initrd-end'), [0, 0x88123400]);

  // Harts, each with its local interrupt controller.
  assert.deepEqual(cells(root, '/cpus', 'timebase-frequency'), [10000000]);
  assert.deepEqual(cells(root, '/cpus', '#address-cells'), [1]);
  assert.deepEqual(cells(root, '/cpus', '#size-cells'), [0]);
  const intc: number[] = [];
  for (const h of [0, 1]) {
    const cpu = `/cpus/cpu@${h}`;
    assert.deepEqual(cells(root, cpu, 'reg'), [h]);
    assert.deepEqual(strings(root, cpu, 'device_type'), ['cpu']);
    assert.deepEqual(strings(root, cpu, 'riscv,isa'), ['rv64imafdc_zicsr_zifencei_zicntr_sstc']);
    assert.deepEqual(strings(root, cpu, 'riscv,isa-base'), ['rv64i']);
    assert.deepEqual(strings(root, cpu, 'riscv,isa-extensions'),
      ['i', 'm', 'a', 'f', 'd', 'c', 'zicsr', 'zifencei', 'zicntr', 'sstc']);
    assert.deepEqual(strings(root, cpu, 'mmu-type'), ['riscv,sv39']);
    const ic = `${cpu}/interrupt-controller`;
    assert.deepEqual(strings(root, ic, 'compatible'), ['riscv,cpu-intc']);
    assert.deepEqual(cells(root, ic, '#interrupt-cells'), [1]);
    assert.ok(node(root, ic).props.has('interrupt-controller'));
    intc.push(cells(root, ic, 'phandle')[0]);
    assert.deepEqual(cells(root, `/cpus/cpu-map/cluster0/core${h}`, 'cpu'), cells(root, cpu, 'phandle'));
  }
  assert.equal(node(root, '/cpus').children.has('cpu@2'), false);
  assert.notEqual(intc[0], intc[1]);

  // CLINT: M-software (3) and M-timer (7) of every hart.
  const clint = '/soc/clint@2000000';
  assert.deepEqual(strings(root, clint, 'compatible'), ['sifive,clint0', 'riscv,clint0']);
  assert.deepEqual(cells(root, clint, 'reg'), [0, 0x2000000, 0, 0x10000]);
  assert.deepEqual(cells(root, clint, 'interrupts-extended'), [intc[0], 3, intc[0], 7, intc[1], 3, intc[1], 7]);

  // PLIC: context 2h -> M-external (11), 2h+1 -> S-external (9).
  const plic = '/soc/plic@c000000';
  assert.deepEqual(strings(root, plic, 'compatible'), ['sifive,plic-1.0.0', 'riscv,plic0']);
  assert.deepEqual(cells(root, plic, 'reg'), [0, 0xc000000, 0, 0x600000]);
  assert.deepEqual(cells(root, plic, 'riscv,ndev'), [95]);
  assert.deepEqual(cells(root, plic, '#interrupt-cells'), [1]);
  assert.deepEqual(cells(root, plic, 'interrupts-extended'), [intc[0], 11, intc[0], 9, intc[1], 11, intc[1], 9]);
  const plicPh = cells(root, plic, 'phandle')[0];

  // Devices behind the PLIC.
  const serial = '/soc/serial@10000000';
  assert.deepEqual(strings(root, serial, 'compatible'), ['ns16550a']);
  assert.deepEqual(cells(root, serial, 'reg'), [0, 0x10000000, 0, 0x100]);
  assert.deepEqual(cells(root, serial, 'clock-frequency'), [3686400]);
  assert.deepEqual(cells(root, serial, 'interrupts'), [10]);
  assert.deepEqual(cells(root, serial, 'interrupt-parent'), [plicPh]);
  for (let slot = 0; slot < 8; slot++) {
    const base = 0x10001000 + slot * 0x1000;
    const v = `/soc/virtio_mmio@${base.toString(16)}`;
    assert.deepEqual(strings(root, v, 'compatible'), ['virtio,mmio']);
    assert.deepEqual(cells(root, v, 'reg'), [0, base, 0, 0x1000]);
    assert.deepEqual(cells(root, v, 'interrupts'), [1 + slot]);
    assert.deepEqual(cells(root, v, 'interrupt-parent'), [plicPh]);
  }
  const rtc = '/soc/rtc@101000';
  assert.deepEqual(strings(root, rtc, 'compatible'), ['google,goldfish-rtc']);
  assert.deepEqual(cells(root, rtc, 'reg'), [0, 0x101000, 0, 0x1000]);
  assert.deepEqual(cells(root, rtc, 'interrupts'), [11]);
  assert.deepEqual(cells(root, rtc, 'interrupt-parent'), [plicPh]);

  // The test device and the syscon nodes that use it.
  const testDev = '/soc/test@100000';
  assert.deepEqual(strings(root, testDev, 'compatible'), ['sifive,test1', 'sifive,test0', 'syscon']);
  assert.deepEqual(cells(root, testDev, 'reg'), [0, 0x100000, 0, 0x1000]);
  const testPh = cells(root, testDev, 'phandle')[0];
  assert.deepEqual(strings(root, '/poweroff', 'compatible'), ['syscon-poweroff']);
  assert.deepEqual(cells(root, '/poweroff', 'regmap'), [testPh]);
  assert.deepEqual(cells(root, '/poweroff', 'value'), [0x5555]);
  assert.deepEqual(strings(root, '/reboot', 'compatible'), ['syscon-reboot']);
  assert.deepEqual(cells(root, '/reboot', 'value'), [0x7777]);

  assert.deepEqual(strings(root, '/soc', 'compatible'), ['simple-bus']);
  assert.ok(node(root, '/soc').props.has('ranges'));
});

test('machine DTB: one hart, no bootargs or initrd, fewer slots', { skip }, () => {
  const { root } = parseDts(dtc(buildMachineDtb({ memBase: 0x80000000, memSize: 0x8000000, harts: 1, virtioSlots: 2 })));
  assert.deepEqual(cells(root, '/memory@80000000', 'reg'), [0, 0x80000000, 0, 0x8000000]);
  assert.equal(node(root, '/chosen').props.has('bootargs'), false);
  assert.equal(node(root, '/chosen').props.has('linux,initrd-start'), false);
  assert.equal([...node(root, '/soc').children.keys()].filter((k) => k.startsWith('virtio_mmio@')).length, 2);
  const ic = cells(root, '/cpus/cpu@0/interrupt-controller', 'phandle')[0];
  assert.deepEqual(cells(root, '/soc/plic@c000000', 'interrupts-extended'), [ic, 11, ic, 9]);
});
