// The Goldfish real-time clock of the QEMU `virt` machine, at 0x101000 on PLIC
// source 11: how a guest learns the wall-clock date (`date`, file times).
// Time is nanoseconds since the Unix epoch, read as two 32-bit halves:
// reading TIME_LOW samples the clock and latches the high half, which a
// following TIME_HIGH read returns, so the two halves always belong together.
// Writing TIME_HIGH/TIME_LOW sets the guest's clock (an offset from the host's).
// The alarm registers work: ALARM_HIGH then ALARM_LOW arms an alarm; poll()
// (called by the machine now and then, and on every register access) fires it
// once the clock passes it, raising the IRQ when IRQ_ENABLED is set.
//
// Registers (offsets): 0x00 TIME_LOW, 0x04 TIME_HIGH, 0x08 ALARM_LOW,
// 0x0c ALARM_HIGH, 0x10 IRQ_ENABLED, 0x14 CLEAR_ALARM, 0x18 ALARM_STATUS,
// 0x1c CLEAR_INTERRUPT.
//
// Concepts: C13 (a simple device controller), C11 (its alarm interrupt).

import type { IrqLine, MmioDevice } from './device.js';
import { RTC_BASE } from '../core/layout.js';

export const RTC_SIZE = 0x1000;
export const RTC_IRQ = 11;
export const RTC_TIME_LOW = 0x00;
export const RTC_TIME_HIGH = 0x04;
export const RTC_ALARM_LOW = 0x08;
export const RTC_ALARM_HIGH = 0x0c;
export const RTC_IRQ_ENABLED = 0x10;
export const RTC_CLEAR_ALARM = 0x14;
export const RTC_ALARM_STATUS = 0x18;
export const RTC_CLEAR_INTERRUPT = 0x1c;

const LOW32 = 0xffffffffn;

export interface GoldfishRtcOptions {
  /** Nanoseconds since the epoch; default: the host's Date.now(). */
  clock?: () => bigint;
  irqLine?: IrqLine;
  irq?: number;
  base?: number;
}

export interface GoldfishRtcState {
  offset: bigint;      // guest time minus clock()
  latchedHigh: number; // high half latched by the last TIME_LOW read
  alarm: bigint;
  alarmArmed: boolean;
  irqEnabled: boolean;
  irqPending: boolean;
}

/** A copy of the RTC's state for a machine snapshot: the 64-bit times as decimal strings (plain data, JSON-safe). */
export interface GoldfishRtcSaved {
  offset: string;
  latchedHigh: number;
  alarm: string;
  alarmArmed: boolean;
  irqEnabled: boolean;
  irqPending: boolean;
}

export interface GoldfishRtc extends MmioDevice {
  readonly state: GoldfishRtcState;
  /** A copy of the whole state (snapshot). */
  save(): GoldfishRtcSaved;
  /** Take a saved state (throws RangeError on a malformed one, before changing anything); drives no IRQ line. */
  load(saved: GoldfishRtcSaved): void;
  /** The guest's current time in nanoseconds. */
  now(): bigint;
  /** Fire the alarm if its time has come. */
  poll(): void;
}

export function hostClockNs(): bigint {
  return BigInt(Date.now()) * 1000000n;
}

export function createGoldfishRtc(opts: GoldfishRtcOptions = {}): GoldfishRtc {
  const clock = opts.clock ?? hostClockNs;
  const irq = opts.irq ?? RTC_IRQ;
  const irqLine = opts.irqLine;
  const s: GoldfishRtcState = {
    offset: 0n, latchedHigh: 0, alarm: 0n, alarmArmed: false, irqEnabled: false, irqPending: false,
  };

  const now = (): bigint => clock() + s.offset;

  function updateIrq(): void {
    if (irqLine !== undefined) irqLine.setLevel(irq, s.irqPending && s.irqEnabled);
  }

  function poll(): void {
    if (s.alarmArmed && now() >= s.alarm) {
      s.alarmArmed = false;
      s.irqPending = true;
      updateIrq();
    }
  }

  /** Set one 32-bit half of the guest's time, keeping the other. */
  function setHalf(shift: bigint, value: number): void {
    const t = now();
    const updated = (t & ~(LOW32 << shift)) | (BigInt(value >>> 0) << shift);
    s.offset += updated - t;
  }

  return {
    name: 'goldfish-rtc',
    base: opts.base ?? RTC_BASE,
    size: RTC_SIZE,
    state: s,
    now,
    poll,
    save(): GoldfishRtcSaved {
      return {
        offset: s.offset.toString(), latchedHigh: s.latchedHigh, alarm: s.alarm.toString(),
        alarmArmed: s.alarmArmed, irqEnabled: s.irqEnabled, irqPending: s.irqPending,
      };
    },
    load(v: GoldfishRtcSaved): void {
      const int = /^-?[0-9]+$/;
      if (typeof v.offset !== 'string' || !int.test(v.offset) || typeof v.alarm !== 'string' || !int.test(v.alarm) ||
        !(Number.isInteger(v.latchedHigh) && v.latchedHigh >= 0 && v.latchedHigh <= 0xffffffff)) {
        throw new RangeError('goldfish-rtc: malformed saved state');
      }
      s.offset = BigInt(v.offset);
      s.latchedHigh = v.latchedHigh;
      s.alarm = BigInt(v.alarm);
      s.alarmArmed = v.alarmArmed === true;
      s.irqEnabled = v.irqEnabled === true;
      s.irqPending = v.irqPending === true;
    },
    read(offset: number, width: number): number {
      if (width !== 4) return 0;
      poll();
      switch (offset) {
        case RTC_TIME_LOW: {
          const t = now();
          s.latchedHigh = Number((t >> 32n) & LOW32);
          return Number(t & LOW32);
        }
        case RTC_TIME_HIGH: return s.latchedHigh;
        case RTC_ALARM_LOW: return Number(s.alarm & LOW32);
        case RTC_ALARM_HIGH: return Number((s.alarm >> 32n) & LOW32);
        case RTC_IRQ_ENABLED: return s.irqEnabled ? 1 : 0;
        case RTC_ALARM_STATUS: return s.alarmArmed ? 1 : 0;
        default: return 0;
      }
    },
    write(offset: number, width: number, value: number): void {
      if (width !== 4) return;
      switch (offset) {
        case RTC_TIME_LOW: setHalf(0n, value); break;
        case RTC_TIME_HIGH: setHalf(32n, value); break;
        case RTC_ALARM_LOW:
          s.alarm = (s.alarm & (LOW32 << 32n)) | BigInt(value >>> 0);
          s.alarmArmed = true;
          break;
        case RTC_ALARM_HIGH:
          s.alarm = (s.alarm & LOW32) | (BigInt(value >>> 0) << 32n);
          break;
        case RTC_IRQ_ENABLED:
          s.irqEnabled = (value & 1) !== 0;
          updateIrq();
          break;
        case RTC_CLEAR_ALARM: s.alarmArmed = false; break;
        case RTC_CLEAR_INTERRUPT:
          s.irqPending = false;
          updateIrq();
          break;
        default: break;
      }
      poll();
    },
  };
}
