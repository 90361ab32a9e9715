// Colours of the coverage layer, shared by the scene, the legend and the
// browser tests. The DORI ramp is four steps of viridis (perceptually
// ordered and colour-blind safe), lightest for the best level; the
// redundancy view uses Okabe–Ito orange and sky blue.
import type { CoverageLevel } from '../core/facility/schema.ts';

/**
 * Floor cells no camera sees (at detection, or at the required level in the
 * redundancy view): a checkerboard of two greys, cell by cell, so unseen
 * floor never reads as an obstacle top or a flat level colour.
 */
export const COVERAGE_NONE = '#4a5059';
/** The other square of the unseen checkerboard. */
export const COVERAGE_NONE_ALT = '#363b43';

/** Best DORI level seen, by level. */
export const DORI_COLORS: Record<CoverageLevel, string> = {
  detection: '#3b528b',
  observation: '#21918c',
  recognition: '#5ec962',
  identification: '#fde725',
};

/** Human names of the levels, for the legend and the popover. */
export const DORI_LABELS: Record<CoverageLevel, string> = {
  detection: 'Detection (25 px/m)',
  observation: 'Observation (62.5 px/m)',
  recognition: 'Recognition (125 px/m)',
  identification: 'Identification (250 px/m)',
};

/** Redundancy view: seen at the required level by one camera, and by two or more. */
export const REDUNDANCY_COLORS = { single: '#e69f00', redundant: '#56b4e9' } as const;

/** Outline of blind spots: cells of critical zones below their required level. */
export const BLIND_SPOT = '#ff4fcf';

/** Colour of a cell by best level 0 (none) … 4 (identification). */
export const LEVEL_COLORS: readonly string[] = [COVERAGE_NONE, DORI_COLORS.detection, DORI_COLORS.observation, DORI_COLORS.recognition, DORI_COLORS.identification];

/** Edited (what-if) cameras and their drag handle. */
export const WHAT_IF = '#f0e442';
