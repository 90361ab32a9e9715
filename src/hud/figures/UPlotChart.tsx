// A uPlot chart in React: made once per set of options at the container's
// width, fed new data with setData, resized with its container, destroyed on
// unmount. Callers pass data already cut to the chart's pixel width.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

/** Options without a size: the chart takes its container's width and the given height. */
export type ChartOptions = Omit<uPlot.Options, 'width' | 'height'>;

export function UPlotChart({ options, data, height, className, label }: { options: ChartOptions; data: uPlot.AlignedData; height: number; className?: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const width = Math.max(40, Math.floor(el.clientWidth));
    const u = new uPlot({ ...options, width, height }, latest.current, el);
    plot.current = u;
    const ro = new ResizeObserver(() => {
      const w = Math.max(40, Math.floor(el.clientWidth));
      if (w !== u.width) u.setSize({ width: w, height });
    });
    ro.observe(el);
    return () => { ro.disconnect(); u.destroy(); plot.current = null; };
  }, [options, height]);

  useEffect(() => { plot.current?.setData(data); }, [data]);

  return <div ref={box} className={className} role="img" aria-label={label} />;
}
