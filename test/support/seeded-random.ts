/**
 * A deterministic stand-in for Math.random (mulberry32): repeatable jitter without pinning it to one value.
 * A constant Math.random makes every jittered wait land on the same offset, which is what no jitter looks like.
 */
export function seededRandom(seed = 1): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
