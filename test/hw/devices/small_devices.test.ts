// Tests of the small devices: the SiFive test finisher (power off with pass or
// fail code, reset), the Goldfish RTC (latched 64-bit time, setting the time,
// the alarm interrupt) and the in-memory disk backend (C10, C13, C60).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IrqLine } from '../../../hw/devices/device.js';
import { createTestFinisher, type FinisherKind } from '../../../hw/devices/test_finisher.js';
import {
  createGoldfishRtc, RTC_ALARM_HIGH, RTC_ALARM_LOW, RTC_ALARM_STATUS, RTC_CLEAR_INTERRUPT, RTC_IRQ_ENABLED,
  RTC_TIME_HIGH, RTC_TIME_LOW,
} from '../../../hw/devices/goldfish_rtc.js';
import { memoryDisk } from '../../../hw/disk.js';

test('test finisher: pass, fail with code, reset; other writes ignored', () => {
  const calls: Array<[FinisherKind, number]> = [];
  const dev = createTestFinisher((kind, code) => calls.push([kind, code]));
  assert.equal(dev.base, 0x100000);
  dev.write(0, 4, 0x1234);
  dev.write(0, 2, 0x5555);
  dev.write(0, 4, 0x5555);
  dev.write(0, 4, (42 << 16) | 0x3333);
  dev.write(0, 4, 0x7777);
  assert.deepEqual(calls, [['pass', 0], ['fail', 42], ['reset', 0]]);
  assert.equal(dev.read(0, 4), 0);
});

test('goldfish RTC: reading TIME_LOW latches TIME_HIGH', () => {
  let t = 0x1_ffff_fff0n;
  const rtc = createGoldfishRtc({ clock: () => t });
  assert.equal(rtc.base, 0x101000);
  const lo = rtc.read(RTC_TIME_LOW, 4);
  t = 0x2_0000_0010n; // the low half wraps between the two reads
  const hi = rtc.read(RTC_TIME_HIGH, 4);
  assert.equal((BigInt(hi) << 32n) | BigInt(lo), 0x1_ffff_fff0n, 'a consistent pair');
  assert.equal(rtc.read(RTC_TIME_LOW, 4), 0x10);
  assert.equal(rtc.read(RTC_TIME_HIGH, 4), 2);
});

test('goldfish RTC: the default clock is the host wall clock in nanoseconds', () => {
  const rtc = createGoldfishRtc();
  const lo = BigInt(rtc.read(RTC_TIME_LOW, 4));
  const ns = (BigInt(rtc.read(RTC_TIME_HIGH, 4)) << 32n) | lo;
  const ms = Number(ns / 1000000n);
  assert.ok(Math.abs(ms - Date.now()) < 5000);
});

test('goldfish RTC: the guest sets the time; the alarm raises the IRQ', () => {
  let t = 1000n;
  const levels: boolean[] = [];
  const line: IrqLine = { setLevel: (src, level) => { assert.equal(src, 11); levels.push(level); } };
  const rtc = createGoldfishRtc({ clock: () => t, irqLine: line });
  const target = 0x1_2345_6789_0000n;
  rtc.write(RTC_TIME_HIGH, 4, Number(target >> 32n));
  rtc.write(RTC_TIME_LOW, 4, Number(target & 0xffffffffn));
  assert.equal(rtc.now(), target);
  t += 500n;
  assert.equal(rtc.now(), target + 500n, 'time keeps running from the new value');

  rtc.write(RTC_IRQ_ENABLED, 4, 1);
  const alarm = target + 2000n;
  rtc.write(RTC_ALARM_HIGH, 4, Number(alarm >> 32n));
  rtc.write(RTC_ALARM_LOW, 4, Number(alarm & 0xffffffffn));
  assert.equal(rtc.read(RTC_ALARM_STATUS, 4), 1);
  assert.equal(rtc.read(RTC_ALARM_LOW, 4), Number(alarm & 0xffffffffn));
  assert.equal(levels.at(-1), false);
  t += 2000n;
  rtc.poll();
  assert.equal(levels.at(-1), true);
  assert.equal(rtc.read(RTC_ALARM_STATUS, 4), 0);
  rtc.write(RTC_CLEAR_INTERRUPT, 4, 1);
  assert.equal(levels.at(-1), false);
});

test('memory disk: whole sectors in range; read-only refuses writes', () => {
  const disk = memoryDisk(1000);
  assert.equal(disk.sectors, 2, 'rounded up to whole sectors');
  const data = new Uint8Array(512).fill(7);
  disk.write(1, data);
  const back = new Uint8Array(512);
  disk.read(1, back);
  assert.deepEqual(back, data);
  assert.throws(() => disk.read(2, back), RangeError);
  assert.throws(() => disk.read(0, new Uint8Array(100)), RangeError);
  const ro = memoryDisk(new Uint8Array(1024), { readOnly: true });
  assert.throws(() => ro.write(0, data), /read-only/);
});
