// Tests of the PLIC (hw/devices/plic.ts), driven only through its registers
// and interrupt lines, with a fake hart that records every mip edge.
// Proves: priority arbitration (ties to the lowest ID), threshold masking,
// enables, claim/complete with level-triggered gateways, M/S context
// isolation, and that harts see exactly the right edges (C11).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InterruptTarget } from '../../../hw/devices/device.js';
import { createPlic, MIP_MEIP, MIP_SEIP, type Plic } from '../../../hw/devices/plic.js';

interface Edge { hart: number; bit: number; level: boolean }

function setup(harts = 2): { plic: Plic; edges: Edge[]; mip: Map<string, boolean> } {
  const edges: Edge[] = [];
  const mip = new Map<string, boolean>();
  const target: InterruptTarget = {
    setPending(hart: number, bit: number, level: boolean): void {
      edges.push({ hart, bit, level });
      mip.set(`${hart}:${bit}`, level);
    },
  };
  return { plic: createPlic({ harts, target }), edges, mip };
}

const PRIO = (src: number): number => 4 * src;
const ENABLE = (ctx: number): number => 0x2000 + 0x80 * ctx;
const THRESHOLD = (ctx: number): number => 0x200000 + 0x1000 * ctx;
const CLAIM = (ctx: number): number => 0x200004 + 0x1000 * ctx;

function enable(plic: Plic, ctx: number, ...sources: number[]): void {
  const words = new Map<number, number>();
  for (const s of sources) words.set(s >>> 5, (words.get(s >>> 5) ?? 0) | (1 << (s & 31)));
  for (const [w, bits] of words) plic.write(ENABLE(ctx) + 4 * w, 4, bits >>> 0);
}

test('claim returns the highest priority, ties to the lowest ID, then 0', () => {
  const { plic } = setup();
  plic.write(PRIO(3), 4, 2);
  plic.write(PRIO(5), 4, 5);
  plic.write(PRIO(7), 4, 5);
  plic.write(PRIO(40), 4, 6);
  enable(plic, 1, 3, 5, 7, 40);
  for (const s of [3, 5, 7, 40]) plic.setLevel(s, true);
  assert.equal(plic.read(CLAIM(1), 4), 40);
  assert.equal(plic.read(CLAIM(1), 4), 5);
  assert.equal(plic.read(CLAIM(1), 4), 7);
  assert.equal(plic.read(CLAIM(1), 4), 3);
  assert.equal(plic.read(CLAIM(1), 4), 0);
  assert.equal(plic.claimCount(5), 1);
  assert.equal(plic.claimCount(6), 0);
});

test('priority 0 never interrupts and is never claimed; priorities clamp to 7', () => {
  const { plic, edges } = setup();
  enable(plic, 0, 9);
  plic.setLevel(9, true);
  assert.equal(edges.length, 0);
  assert.equal(plic.read(CLAIM(0), 4), 0);
  plic.write(PRIO(9), 4, 100);
  assert.equal(plic.read(PRIO(9), 4), 7);
  assert.deepEqual(edges, [{ hart: 0, bit: MIP_MEIP, level: true }]);
  plic.write(PRIO(0), 4, 5); // source 0 does not exist
  assert.equal(plic.read(PRIO(0), 4), 0);
});

test('threshold masks priorities <= threshold, but claim ignores it', () => {
  const { plic, edges, mip } = setup();
  plic.write(PRIO(10), 4, 3);
  enable(plic, 1, 10);
  plic.write(THRESHOLD(1), 4, 3);
  assert.equal(plic.read(THRESHOLD(1), 4), 3);
  plic.setLevel(10, true);
  assert.equal(edges.length, 0, 'priority 3 is not above threshold 3');
  plic.write(THRESHOLD(1), 4, 2);
  assert.equal(mip.get(`0:${MIP_SEIP}`), true);
  plic.write(THRESHOLD(1), 4, 7);
  assert.equal(mip.get(`0:${MIP_SEIP}`), false);
  assert.equal(plic.read(CLAIM(1), 4), 10, 'the claim operation is not affected by the threshold');
});

test('enable bits gate a source per context; source 0 is hardwired off', () => {
  const { plic, edges } = setup();
  plic.write(PRIO(33), 4, 1);
  plic.setLevel(33, true);
  assert.equal(plic.read(0x1000 + 4, 4), 1 << 1, 'pending bit of source 33');
  assert.equal(edges.length, 0);
  assert.equal(plic.read(CLAIM(0), 4), 0, 'not enabled: nothing to claim');
  plic.write(ENABLE(0), 4, 0xffffffff);
  assert.equal(plic.read(ENABLE(0), 4), 0xfffffffe);
  plic.write(ENABLE(0) + 8, 4, 0xffffffff); // sources 64..95 exist; nothing past 95
  assert.equal(plic.read(ENABLE(0) + 8, 4), 0xffffffff);
  plic.write(ENABLE(0) + 4, 4, 1 << 1);
  assert.deepEqual(edges, [{ hart: 0, bit: MIP_MEIP, level: true }]);
  plic.write(ENABLE(0) + 4, 4, 0);
  assert.deepEqual(edges.at(-1), { hart: 0, bit: MIP_MEIP, level: false });
});

test('claim clears pending; complete re-arms; a held line re-pends after complete', () => {
  const { plic, edges } = setup();
  plic.write(PRIO(10), 4, 1);
  enable(plic, 1, 10);
  plic.setLevel(10, true);
  assert.deepEqual(edges, [{ hart: 0, bit: MIP_SEIP, level: true }]);
  assert.equal(plic.read(CLAIM(1), 4), 10);
  assert.deepEqual(edges.at(-1), { hart: 0, bit: MIP_SEIP, level: false });
  assert.equal(plic.read(0x1000, 4) & (1 << 10), 0, 'claimed: not pending');
  // While claimed, the gateway forwards nothing, however the line moves.
  plic.setLevel(10, false);
  plic.setLevel(10, true);
  assert.equal(plic.read(0x1000, 4) & (1 << 10), 0);
  assert.equal(plic.read(CLAIM(1), 4), 0);
  assert.equal(edges.length, 2);
  // Complete with the line still high: pending again at once.
  plic.write(CLAIM(1), 4, 10);
  assert.equal(plic.read(0x1000, 4) & (1 << 10), 1 << 10);
  assert.deepEqual(edges.at(-1), { hart: 0, bit: MIP_SEIP, level: true });
  assert.equal(plic.read(CLAIM(1), 4), 10);
  // Device deasserts, driver completes: stays quiet.
  plic.setLevel(10, false);
  plic.write(CLAIM(1), 4, 10);
  assert.equal(plic.read(0x1000, 4), 0);
  assert.equal(plic.read(CLAIM(1), 4), 0);
  assert.equal(edges.length, 4);
  assert.equal(plic.claimCount(10), 2);
  // A new assertion after completion interrupts again.
  plic.setLevel(10, true);
  assert.deepEqual(edges.at(-1), { hart: 0, bit: MIP_SEIP, level: true });
});

test('a line dropped before the claim is no longer pending (level-triggered)', () => {
  const { plic, edges } = setup();
  plic.write(PRIO(4), 4, 1);
  enable(plic, 0, 4);
  plic.setLevel(4, true);
  plic.setLevel(4, false);
  assert.deepEqual(edges.map((e) => e.level), [true, false]);
  assert.equal(plic.read(CLAIM(0), 4), 0);
});

test('completion for a source not enabled in that context is ignored', () => {
  const { plic } = setup();
  plic.write(PRIO(6), 4, 1);
  enable(plic, 0, 6);
  plic.setLevel(6, true);
  assert.equal(plic.read(CLAIM(0), 4), 6);
  plic.write(CLAIM(1), 4, 6); // S context of hart 0 has 6 disabled
  assert.equal(plic.read(0x1000, 4) & (1 << 6), 0, 'still claimed');
  plic.write(CLAIM(0), 4, 6);
  assert.equal(plic.read(0x1000, 4) & (1 << 6), 1 << 6);
});

test('contexts are isolated: M vs S, hart 0 vs hart 1', () => {
  const { plic, edges, mip } = setup(2);
  plic.write(PRIO(1), 4, 1);
  plic.write(PRIO(2), 4, 1);
  enable(plic, 0, 1); // hart 0 M: source 1
  enable(plic, 3, 2); // hart 1 S: source 2
  plic.setLevel(1, true);
  assert.deepEqual(edges, [{ hart: 0, bit: MIP_MEIP, level: true }]);
  assert.equal(plic.read(CLAIM(1), 4), 0, 'hart 0 S sees nothing');
  assert.equal(plic.read(CLAIM(3), 4), 0, 'hart 1 S sees nothing');
  plic.setLevel(2, true);
  assert.deepEqual(edges.at(-1), { hart: 1, bit: MIP_SEIP, level: true });
  assert.equal(mip.get(`0:${MIP_SEIP}`), undefined);
  assert.equal(plic.contextOutput(3), true);
  assert.equal(plic.read(CLAIM(3), 4), 2);
  assert.equal(mip.get(`1:${MIP_SEIP}`), false);
  assert.equal(mip.get(`0:${MIP_MEIP}`), true, 'hart 0 M still pending');
  // The same source enabled in two contexts: the first claim wins, the other gets 0.
  enable(plic, 2, 1);
  assert.equal(mip.get(`1:${MIP_MEIP}`), true);
  assert.equal(plic.read(CLAIM(2), 4), 1);
  assert.equal(plic.read(CLAIM(0), 4), 0);
  assert.equal(mip.get(`0:${MIP_MEIP}`), false);
  assert.equal(mip.get(`1:${MIP_MEIP}`), false);
});

test('reset clears the registers and re-latches lines that are still high', () => {
  const { plic, mip } = setup(1);
  plic.write(PRIO(8), 4, 1);
  enable(plic, 0, 8);
  plic.setLevel(8, true);
  assert.equal(plic.read(CLAIM(0), 4), 8);
  plic.reset();
  assert.equal(plic.read(PRIO(8), 4), 0);
  assert.equal(plic.read(0x1000, 4), 1 << 8);
  assert.equal(mip.get(`0:${MIP_MEIP}`), false);
});
