// Journal recovery: what Linux's fs/jbd2/recovery.c and e2fsck do before a
// file system whose journal is not empty is used. Three passes over the log
// from its tail (s_start, expecting transaction s_sequence):
//   scan:   follow descriptor, revoke and commit blocks while each header
//           carries the expected sequence; the last transaction with a
//           commit block ends the log (one without is a cut-off write and is
//           ignored);
//   revoke: collect every revoked block with the newest transaction that
//           revoked it;
//   replay: copy every logged block of the committed transactions to its
//           home, oldest first, unless a transaction at least as new
//           revoked it (unescaping copies that began with the magic).
// Pure: it reads log blocks through a callback and returns the writes to
// make, so the kernel's mount (ext2/journal.ts) and host tools/tests run the
// very same code. The caller then writes the blocks, and marks the journal
// empty (s_start = 0, s_sequence = the next id).
//
// Concepts: C65 journaling (recovery: replay committed transactions, skip
// the one cut off by the crash, honour revocations).
import {
  type JournalSuper, JBD2_MAGIC, BT_DESCRIPTOR, BT_COMMIT, BT_REVOKE, TAG_ESCAPE, be32, put32be, tidGeq,
  parseTags, parseRevokes, tagBytes, revokeRecordBytes,
} from "./format.js";

export interface RecoveryResult {
  /** Home block -> its replayed bytes, in replay order (a later copy of a block replaces an earlier one). */
  writes: Map<number, Uint8Array>;
  /** Committed transactions found (replayed). */
  transactions: number;
  /** The id the journal's next transaction gets (s_sequence after recovery). */
  nextSequence: number;
  /** Log blocks the scan looked at. */
  scanned: number;
  /** Revoke records honoured. */
  revoked: number;
  /** Why the scan stopped early, if for a reason other than the end of the log (logged, not fatal). */
  note: string | null;
}

/**
 * Recover the journal described by `s`: `readLog(i)` gives journal block i
 * (0 <= i < s.maxLen) or null when it cannot be read. `validTarget` rejects
 * home block numbers outside the file system (a corrupt tag is skipped).
 */
export function recoverJournal(
  s: JournalSuper, readLog: (i: number) => Uint8Array | null, validTarget: (nr: number) => boolean,
): RecoveryResult {
  const res: RecoveryResult = { writes: new Map(), transactions: 0, nextSequence: s.sequence, scanned: 0, revoked: 0, note: null };
  if (s.start === 0) return res;
  const tb = tagBytes(s), rb = revokeRecordBytes(s);
  const wrap = (i: number): number => (i >= s.maxLen ? s.first + (i - s.maxLen) : i);
  const logLen = s.maxLen - s.first;

  // Pass 1 (scan): find the end of the log (the first transaction without a complete commit).
  interface Txn { seq: number; descs: number[]; revokes: number[] }
  const txns: Txn[] = [];
  let seq = s.sequence, pos = s.start, cur: Txn = { seq, descs: [], revokes: [] }, walked = 0;
  for (;;) {
    if (walked >= logLen) { res.note = "the log wraps onto itself"; break; }
    const b = readLog(pos);
    res.scanned++;
    if (!b) { res.note = `journal block ${pos} unreadable`; break; }
    if (be32(b, 0) !== JBD2_MAGIC || be32(b, 8) !== seq) break;
    const type = be32(b, 4);
    if (type === BT_DESCRIPTOR) {
      cur.descs.push(pos);
      const n = parseTags(b, tb).length;
      walked += 1 + n;
      pos = wrap(pos + 1 + n);
    } else if (type === BT_REVOKE) {
      cur.revokes.push(pos);
      walked++;
      pos = wrap(pos + 1);
    } else if (type === BT_COMMIT) {
      txns.push(cur);
      seq = (seq + 1) >>> 0;
      cur = { seq, descs: [], revokes: [] };
      walked++;
      pos = wrap(pos + 1);
    } else {
      res.note = `unknown journal block type ${type} at ${pos}`;
      break;
    }
  }
  res.transactions = txns.length;
  res.nextSequence = seq;

  // Pass 2 (revoke): the newest revoking transaction of each block.
  const revoked = new Map<number, number>();
  for (const t of txns) {
    for (const p of t.revokes) {
      const b = readLog(p);
      if (!b) continue;
      for (const nr of parseRevokes(b, rb)) {
        const old = revoked.get(nr);
        if (old === undefined || tidGeq(t.seq, old)) revoked.set(nr, t.seq);
      }
    }
  }

  // Pass 3 (replay): oldest transaction first; a revoke at least as new as the transaction hides its copy.
  for (const t of txns) {
    for (const d of t.descs) {
      const db = readLog(d);
      if (!db) continue;
      const tags = parseTags(db, tb);
      for (let i = 0; i < tags.length; i++) {
        const { target, flags } = tags[i];
        const r = revoked.get(target);
        if (r !== undefined && tidGeq(r, t.seq)) { res.revoked++; continue; }
        if (!validTarget(target)) { res.note = `logged block for ${target}, outside the file system: skipped`; continue; }
        const src = readLog(wrap(d + 1 + i));
        if (!src) { res.note = `journal block ${wrap(d + 1 + i)} unreadable: skipped`; continue; }
        const copy = src.slice();
        if (flags & TAG_ESCAPE) put32be(copy, 0, JBD2_MAGIC);
        res.writes.delete(target); // keep replay order: the latest copy last
        res.writes.set(target, copy);
      }
    }
  }
  return res;
}

/** Same as recoverJournal over a whole journal held in memory (tests, host tools): `log[i]` is journal block i. */
export function recoverJournalBytes(s: JournalSuper, log: Uint8Array, validTarget: (nr: number) => boolean): RecoveryResult {
  const bs = s.blockSize;
  return recoverJournal(s, (i) => (i < s.maxLen && (i + 1) * bs <= log.length ? log.subarray(i * bs, (i + 1) * bs) : null), validTarget);
}
