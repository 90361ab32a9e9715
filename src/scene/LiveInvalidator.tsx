// Asks for a frame whenever the live buffer is written (frameloop="demand").
import { useEffect } from 'react';
import { useThree } from '@react-three/fiber';
import { subscribeLive } from '../state/live.ts';

export function LiveInvalidator() {
  const invalidate = useThree((s) => s.invalidate);
  useEffect(() => subscribeLive(() => invalidate()), [invalidate]);
  return null;
}
