// The allocator for tensor buffers: a two-level segregated-fit allocator (TLSF) living in linear memory.
// Freed blocks are coalesced with free neighbours and reused; memory grows only when no free block fits.
// Every payload is 16-byte aligned. Only the main thread allocates; workers never call into this file.
//
// Block: a 16-byte header followed by the payload.
//   +0  u32  payload size (multiple of 16) | FREE bit
//   +4  u32  address of the previous physical block's header (0 for the first block)
//   +8  u32  next free block (only while free)
//   +12 u32  previous free block (only while free)
// The heap ends with a zero-size, used sentinel block.

const HDR: usize = 16;
const FREE: u32 = 1;
const SIZE_MASK: u32 = ~15;
const SL_BITS: u32 = 4;
const SL_SIZE: u32 = 1 << SL_BITS;
const ALIGN_BITS: u32 = 4;
const SMALL: usize = 1 << (SL_BITS + ALIGN_BITS);
const FL_COUNT: u32 = 25;
/** Largest payload we try to allocate (keeps size arithmetic inside u32). */
const MAX_SIZE: usize = 0xFFF00000;
const PAGE: usize = 65536;

// Control structure: fl bitmap, FL_COUNT sl bitmaps, FL_COUNT * SL_SIZE list heads.
const CTRL_SIZE: usize = (1 + FL_COUNT + FL_COUNT * SL_SIZE) << 2;

let root: usize = 0;
let sentinel: usize = 0;
let usedBytes: usize = 0;
let blockCount: u32 = 0;

@inline function sizeOf(b: usize): usize {
  return <usize>(load<u32>(b) & SIZE_MASK);
}
@inline function isFree(b: usize): bool {
  return (load<u32>(b) & FREE) != 0;
}
@inline function setHeader(b: usize, size: usize, free: bool): void {
  store<u32>(b, <u32>size | (free ? FREE : 0));
}
@inline function prevPhys(b: usize): usize {
  return <usize>load<u32>(b, 4);
}
@inline function setPrevPhys(b: usize, p: usize): void {
  store<u32>(b, <u32>p, 4);
}
@inline function nextPhys(b: usize): usize {
  return b + HDR + sizeOf(b);
}
@inline function nextFree(b: usize): usize {
  return <usize>load<u32>(b, 8);
}
@inline function prevFree(b: usize): usize {
  return <usize>load<u32>(b, 12);
}
@inline function slMapAt(fl: u32): usize {
  return root + 4 + (<usize>fl << 2);
}
@inline function headAt(fl: u32, sl: u32): usize {
  return root + ((1 + FL_COUNT) << 2) + (<usize>(fl * SL_SIZE + sl) << 2);
}

// Level indices of a size: fl = log2 class, sl = one of 16 linear subdivisions.
let mapFl: u32 = 0;
let mapSl: u32 = 0;
@inline function mapping(size: usize): void {
  if (size < SMALL) {
    mapFl = 0;
    mapSl = <u32>(size >> ALIGN_BITS);
  } else {
    const f = <u32>(31 - clz<u32>(<u32>size));
    mapSl = <u32>(size >> (f - SL_BITS)) ^ SL_SIZE;
    mapFl = f - (SL_BITS + ALIGN_BITS) + 1;
  }
}

function insertBlock(b: usize): void {
  mapping(sizeOf(b));
  const fl = mapFl, sl = mapSl;
  const h = headAt(fl, sl);
  const head = <usize>load<u32>(h);
  store<u32>(b, <u32>head, 8);
  store<u32>(b, 0, 12);
  if (head != 0) store<u32>(head, <u32>b, 12);
  store<u32>(h, <u32>b);
  store<u32>(root, load<u32>(root) | (1 << fl));
  store<u32>(slMapAt(fl), load<u32>(slMapAt(fl)) | (1 << sl));
}

function removeBlock(b: usize): void {
  mapping(sizeOf(b));
  const fl = mapFl, sl = mapSl;
  const next = nextFree(b), prev = prevFree(b);
  if (next != 0) store<u32>(next, <u32>prev, 12);
  if (prev != 0) store<u32>(prev, <u32>next, 8);
  const h = headAt(fl, sl);
  if (<usize>load<u32>(h) == b) {
    store<u32>(h, <u32>next);
    if (next == 0) {
      const slMap = load<u32>(slMapAt(fl)) & ~(1 << sl);
      store<u32>(slMapAt(fl), slMap);
      if (slMap == 0) store<u32>(root, load<u32>(root) & ~(1 << fl));
    }
  }
}

/** A free block of at least `size` bytes, or 0. */
function searchBlock(size: usize): usize {
  // Tensors of one size are freed and allocated again and again: look in the request's own class first
  // (a short first-fit walk), which plain TLSF skips because not every block of the class is big enough.
  mapping(size);
  if (mapFl < FL_COUNT) {
    let b = <usize>load<u32>(headAt(mapFl, mapSl));
    for (let steps = 0; b != 0 && steps < 32; steps++) {
      if (sizeOf(b) >= size) return b;
      b = nextFree(b);
    }
  }
  // Round up to the next class boundary so that any block of the class found is big enough.
  if (size >= SMALL) {
    const f = <u32>(31 - clz<u32>(<u32>size));
    size += (<usize>1 << (f - SL_BITS)) - 1;
  }
  mapping(size);
  let fl = mapFl;
  let slMap: u32 = fl < FL_COUNT ? load<u32>(slMapAt(fl)) & (~0 << mapSl) : 0;
  if (slMap == 0) {
    const flMap: u32 = fl + 1 < FL_COUNT ? load<u32>(root) & (~0 << (fl + 1)) : 0;
    if (flMap == 0) return 0;
    fl = ctz<u32>(flMap);
    slMap = load<u32>(slMapAt(fl));
  }
  return <usize>load<u32>(headAt(fl, ctz<u32>(slMap)));
}

function initialize(): void {
  root = (__heap_base + 15) & ~15;
  const first = root + ((CTRL_SIZE + 15) & ~15);
  const need = first + 2 * HDR + 16;
  const have = <usize>memory.size() * PAGE;
  if (need > have) memory.grow(<i32>((need - have + PAGE - 1) / PAGE));
  memory.fill(root, 0, CTRL_SIZE);
  const end = <usize>memory.size() * PAGE;
  sentinel = end - HDR;
  setHeader(first, sentinel - first - HDR, true);
  setPrevPhys(first, 0);
  setHeader(sentinel, 0, false);
  setPrevPhys(sentinel, first);
  insertBlock(first);
}

/** Grows memory so that the last free block (merged with the new pages) holds `size` bytes. */
function grow(size: usize): bool {
  const last = prevPhys(sentinel);
  const lastFree: usize = last != 0 && isFree(last) ? sizeOf(last) : 0;
  // New payload: lastFree + pages*PAGE when merging with a free last block, else pages*PAGE - HDR.
  const want: usize = lastFree != 0 ? size - lastFree : size + HDR;
  const needed = <i32>((want + PAGE - 1) / PAGE);
  const current = memory.size();
  // Grow by at least 1/8 of the current size (amortised growth), falling back to the exact need.
  let pages = maxI(needed, minI(current >> 3, 2048));
  if (memory.grow(pages) < 0) {
    pages = needed;
    if (memory.grow(pages) < 0) return false;
  }
  const newEnd = sentinel + HDR + (<usize>pages * PAGE);
  let b = sentinel;
  let size2 = <usize>pages * PAGE - HDR;
  if (lastFree != 0) {
    removeBlock(last);
    size2 = lastFree + <usize>pages * PAGE;
    b = last;
  }
  sentinel = newEnd - HDR;
  setHeader(b, size2, true);
  setHeader(sentinel, 0, false);
  setPrevPhys(sentinel, b);
  insertBlock(b);
  return true;
}

@inline function maxI(a: i32, b: i32): i32 {
  return a > b ? a : b;
}
@inline function minI(a: i32, b: i32): i32 {
  return a < b ? a : b;
}

/** Allocates `size` bytes (16-byte aligned); returns 0 when memory cannot grow enough. */
export function alloc(size: usize): usize {
  if (root == 0) initialize();
  if (size > MAX_SIZE) return 0;
  size = size < 16 ? 16 : (size + 15) & ~15;
  let b = searchBlock(size);
  if (b == 0) {
    const last = prevPhys(sentinel);
    if (last != 0 && isFree(last) && sizeOf(last) >= size) b = last;
    else if (!grow(size)) return 0;
    // The grown block may sit in the same size class as the request, which the rounded search skips.
    else b = prevPhys(sentinel);
  }
  removeBlock(b);
  const have = sizeOf(b);
  if (have - size >= HDR + 16) {
    // Split: the remainder becomes a free block.
    const rest = b + HDR + size;
    setHeader(rest, have - size - HDR, true);
    setPrevPhys(rest, b);
    setPrevPhys(nextPhys(rest), rest);
    insertBlock(rest);
    setHeader(b, size, false);
  } else {
    setHeader(b, have, false);
  }
  usedBytes += sizeOf(b);
  blockCount++;
  return b + HDR;
}

/** Frees a block returned by `alloc`, merging it with free neighbours. */
export function free(ptr: usize): void {
  if (ptr == 0) return;
  let b = ptr - HDR;
  let size = sizeOf(b);
  usedBytes -= size;
  blockCount--;
  const next = nextPhys(b);
  if (isFree(next)) {
    removeBlock(next);
    size += HDR + sizeOf(next);
  }
  const prev = prevPhys(b);
  if (prev != 0 && isFree(prev)) {
    removeBlock(prev);
    size += HDR + sizeOf(prev);
    b = prev;
  }
  setHeader(b, size, true);
  setPrevPhys(b + HDR + size, b);
  insertBlock(b);
}

/** Payload bytes of all allocated blocks. */
export function allocatedBytes(): usize {
  return usedBytes;
}

/** Number of allocated blocks. */
export function allocatedBlocks(): u32 {
  return blockCount;
}

/** Walks the heap and checks its invariants; returns 0 when consistent, else a code (tests only). */
export function checkHeap(): i32 {
  if (root == 0) return 0;
  let b = root + ((CTRL_SIZE + 15) & ~15);
  let prev: usize = 0;
  let used: usize = 0;
  let prevWasFree = false;
  while (b != sentinel) {
    if (b > sentinel) return 1;
    if (prevPhys(b) != prev) return 2;
    const free = isFree(b);
    if (free && prevWasFree) return 3;
    if (!free) used += sizeOf(b);
    prevWasFree = free;
    prev = b;
    b = nextPhys(b);
  }
  if (prevPhys(sentinel) != prev) return 4;
  if (used != usedBytes) return 5;
  return 0;
}
