// What the figures put over the stage: the drill-down panel, the coverage
// popover, the what-if notice and the ROI modal. It also starts the coverage
// worker once the facility is loaded.
import { useEffect } from 'react';
import { useTwin } from '../../state/store.ts';
import { CoveragePopover } from './CoveragePopover.tsx';
import { WhatIfBanner } from './CoverageSection.tsx';
import { DrillPanel } from './DrillPanel.tsx';
import { RoiPanel } from './RoiPanel.tsx';
import './figures.css';

export function FiguresOverlay() {
  const index = useTwin((s) => s.index);
  const startCoverage = useTwin((s) => s.startCoverage);
  const roiOpen = useTwin((s) => s.roiOpen);
  useEffect(() => { if (index) startCoverage(); }, [index, startCoverage]);
  return (
    <>
      <div className="figures-notices"><WhatIfBanner compact /></div>
      <DrillPanel />
      <CoveragePopover />
      {roiOpen && <RoiPanel />}
    </>
  );
}
