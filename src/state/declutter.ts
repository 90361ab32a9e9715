// Label decluttering: greedy screen-space collision culling. Labels are
// offered in importance order; each is placed unless its box (plus padding)
// overlaps one already placed. Allocation-free, for use every frame.

/**
 * Places labels greedily. `order` lists label indices, most important first;
 * label i is a box centred at (x[i], y[i]) of size w[i] × h[i] px, offered
 * only when `candidate[i]` is 1. Sets `shown[i]` to 1 or 0 for every label
 * in `order`. `scratch` needs 4 floats per label. Returns the number placed.
 */
export function declutter(
  order: ArrayLike<number>, x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, h: ArrayLike<number>,
  candidate: ArrayLike<number>, shown: Uint8Array, scratch: Float32Array, padPx = 4,
): number {
  let placed = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    shown[i] = 0;
    if (!candidate[i]) continue;
    const x0 = x[i]! - w[i]! / 2 - padPx, x1 = x[i]! + w[i]! / 2 + padPx;
    const y0 = y[i]! - h[i]! / 2 - padPx, y1 = y[i]! + h[i]! / 2 + padPx;
    let free = true;
    for (let p = 0; p < placed; p++) {
      const o = p * 4;
      if (x0 < scratch[o + 2]! && x1 > scratch[o]! && y0 < scratch[o + 3]! && y1 > scratch[o + 1]!) { free = false; break; }
    }
    if (!free) continue;
    const o = placed * 4;
    scratch[o] = x0; scratch[o + 1] = y0; scratch[o + 2] = x1; scratch[o + 3] = y1;
    placed++;
    shown[i] = 1;
  }
  return placed;
}
