// The new-alarm beep: two short tones from a WebAudio oscillator (no audio
// file is fetched). Off by default; the top bar's toggle turns it on, and
// that click is the user gesture browsers need before they let a page sound.

let ctx: AudioContext | null = null;

/** Makes (or resumes) the audio context; call from a user gesture. */
export function unlockAudio(): void {
  try {
    ctx ??= new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
  } catch {
    ctx = null; // no WebAudio: stay silent
  }
}

/** Two short tones (880 Hz, then 660 Hz), quiet. Silent until `unlockAudio` ran. */
export function beep(): void {
  if (!ctx || ctx.state !== 'running') return;
  const t0 = ctx.currentTime;
  for (const [i, hz] of [880, 660].entries()) {
    const osc = ctx.createOscillator(), gain = ctx.createGain();
    osc.type = 'sine';
    osc.frequency.value = hz;
    const start = t0 + i * 0.18;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.2, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
    osc.connect(gain).connect(ctx.destination);
    osc.start(start);
    osc.stop(start + 0.16);
  }
}
