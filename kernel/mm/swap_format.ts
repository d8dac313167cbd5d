// Linux's swap area header ("SWAPSPACE2", version 1), read by swapon
// (mm/swap.ts) and written by the host-side `tsix run --swap` (cli/swapfile.ts)
// and by nothing else: the same bytes busybox/util-linux mkswap write.
//
// Page 0 of a swap area (4096 bytes, PAGE_SIZE on riscv64):
//   0     bootbits[1024]   left alone (a boot sector may live there)
//   1024  u32 version      1
//   1028  u32 last_page    the last usable page index (pages = last_page + 1)
//   1032  u32 nr_badpages  entries in badpages[]
//   1036  u8 uuid[16]
//   1052  u8 volume[16]    label, NUL padded
//   1068  u32 padding[117]
//   1536  u32 badpages[]   page indexes never used (at most 637)
//   4086  "SWAPSPACE2"     the signature, in the last 10 bytes of the page
// Little-endian fields (riscv64 is little-endian; Linux also accepts a
// byte-swapped header, which this reader rejects as EINVAL).
//
// Concepts: C55 (a swap partition's or swap file's on-disk format).
import { getU32, putU32 } from "../abi/le.js";

export const SWAP_PAGE = 4096;
export const SWAP_MAGIC = "SWAPSPACE2";
export const SWAP_MAGIC_OFF = SWAP_PAGE - 10;
export const SWAP_VERSION_OFF = 1024;
export const SWAP_LAST_PAGE_OFF = 1028;
export const SWAP_NR_BADPAGES_OFF = 1032;
export const SWAP_UUID_OFF = 1036;
export const SWAP_VOLUME_OFF = 1052;
export const SWAP_BADPAGES_OFF = 1536;
/** Linux's MAX_SWAP_BADPAGES: the badpages that fit in page 0 before the signature. */
export const MAX_SWAP_BADPAGES = (SWAP_MAGIC_OFF - SWAP_BADPAGES_OFF) / 4 | 0;
/** mkswap's minimum: 10 pages (40 KiB). */
export const MIN_SWAP_PAGES = 10;

/** A header that swapon may use. */
export interface SwapHeader {
  version: number;
  lastPage: number;
  badPages: number[];
  uuid: Uint8Array;
  label: string;
}

/** Whether page 0 carries the signature. */
export function hasSwapSignature(page0: Uint8Array): boolean {
  if (page0.length < SWAP_PAGE) return false;
  for (let i = 0; i < 10; i++) if (page0[SWAP_MAGIC_OFF + i] !== SWAP_MAGIC.charCodeAt(i)) return false;
  return true;
}

/**
 * Parse page 0 as Linux's read_swap_header does; `areaPages` is the size of
 * the device or file in pages. A string says why it is refused (swapon's
 * EINVAL), with Linux's log wording where it has one.
 */
export function parseSwapHeader(page0: Uint8Array, areaPages: number): { header: SwapHeader; pages: number } | string {
  if (!hasSwapSignature(page0)) return "Unable to find swap-space signature";
  const version = getU32(page0, SWAP_VERSION_OFF);
  if (version !== 1) return `Unable to handle swap header version ${version}`;
  const lastPage = getU32(page0, SWAP_LAST_PAGE_OFF);
  if (lastPage === 0) return "Empty swap-file";
  // maxpages = last_page + 1; the area must hold them ("Swap area shorter than signature indicates").
  const maxPages = lastPage + 1;
  if (areaPages > 0 && maxPages > areaPages) return "Swap area shorter than signature indicates";
  const nbad = getU32(page0, SWAP_NR_BADPAGES_OFF);
  if (nbad > MAX_SWAP_BADPAGES) return "too many bad pages";
  const badPages: number[] = [];
  for (let i = 0; i < nbad; i++) {
    const p = getU32(page0, SWAP_BADPAGES_OFF + 4 * i);
    if (p === 0 || p > lastPage) return "bad page out of range";
    badPages.push(p);
  }
  let label = "";
  for (let i = 0; i < 16 && page0[SWAP_VOLUME_OFF + i] !== 0; i++) label += String.fromCharCode(page0[SWAP_VOLUME_OFF + i]);
  return { header: { version, lastPage, badPages, uuid: page0.slice(SWAP_UUID_OFF, SWAP_UUID_OFF + 16), label }, pages: maxPages };
}

/**
 * Page 0 of a fresh swap area of `pages` pages (mkswap's output): version 1,
 * last_page = pages - 1, no bad pages, `uuid` (16 bytes), `label`; the
 * bootbits and padding are zero.
 */
export function makeSwapHeader(pages: number, uuid: Uint8Array, label = ""): Uint8Array {
  const p = new Uint8Array(SWAP_PAGE);
  putU32(p, SWAP_VERSION_OFF, 1);
  putU32(p, SWAP_LAST_PAGE_OFF, pages - 1);
  putU32(p, SWAP_NR_BADPAGES_OFF, 0);
  p.set(uuid.subarray(0, 16), SWAP_UUID_OFF);
  for (let i = 0; i < Math.min(16, label.length); i++) p[SWAP_VOLUME_OFF + i] = label.charCodeAt(i) & 0xff;
  for (let i = 0; i < 10; i++) p[SWAP_MAGIC_OFF + i] = SWAP_MAGIC.charCodeAt(i);
  return p;
}
