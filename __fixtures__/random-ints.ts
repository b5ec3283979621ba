/**
 * A deterministic sequence of integers below `n`, from `seed` (mulberry32): exact in 32-bit
 * integer arithmetic, so the same on every machine, unlike a product of large doubles.
 */
export function randomInts(seed: number): (n: number) => number {
  let state = seed >>> 0
  return n => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) % n
  }
}
