// Pointer picking on the canvas: a click (press and release without a drag)
// selects what is under the pointer on an active layer, or clears the
// selection; moving the pointer updates the hover (outside React, at most
// once per animation frame).
import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import { setHover } from '../state/hover.ts';
import { useTwin } from '../state/store.ts';
import { pickAt } from './picking.ts';

/** A press that moves less than this is a click, px. */
const CLICK_SLOP_PX = 5;

export function Picker() {
  const gl = useThree((s) => s.gl);
  const get = useThree((s) => s.get);

  useEffect(() => {
    const el = gl.domElement;
    let downX = 0, downY = 0, down = false, frame = 0, lastX = 0, lastY = 0;
    const pick = (clientX: number, clientY: number) => {
      const r = el.getBoundingClientRect();
      return pickAt(((clientX - r.left) / r.width) * 2 - 1, -((clientY - r.top) / r.height) * 2 + 1, get().camera, useTwin.getState().layers);
    };
    const onDown = (e: PointerEvent) => { down = true; downX = e.clientX; downY = e.clientY; };
    const onUp = (e: PointerEvent) => {
      if (!down) return;
      down = false;
      if (e.button !== 0 || Math.hypot(e.clientX - downX, e.clientY - downY) > CLICK_SLOP_PX) return;
      useTwin.getState().select(pick(e.clientX, e.clientY));
    };
    const onMove = (e: PointerEvent) => {
      lastX = e.clientX; lastY = e.clientY;
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        // While dragging the view, hovering would flicker; clear it instead.
        setHover(down ? null : pick(lastX, lastY), lastX, lastY);
      });
    };
    const onLeave = () => setHover(null);
    el.addEventListener('pointerdown', onDown);
    window.addEventListener('pointerup', onUp);
    el.addEventListener('pointermove', onMove);
    el.addEventListener('pointerleave', onLeave);
    return () => {
      el.removeEventListener('pointerdown', onDown);
      window.removeEventListener('pointerup', onUp);
      el.removeEventListener('pointermove', onMove);
      el.removeEventListener('pointerleave', onLeave);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [gl, get]);

  return null;
}
