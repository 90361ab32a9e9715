// The one bound store, built from typed slices (zustand slices pattern). It
// holds low-rate facts only: the loaded model, the view, layers, selection,
// and which overlays are open. Telemetry lives in live.ts; hover lives in
// hover.ts; the camera pose lives in the camera controls.
import { create, type StateCreator } from 'zustand';
import type { FacilityIndex } from '../core/facility/model.ts';
import { buildCameraZoneRelations, type CameraZoneRelations } from './relations.ts';
import { explodeGap, floorDisplay, floorLift, floorsByElevation, type FloorDisplay, type FloorMode, type ViewMode } from './layout.ts';
import { entityFloorId } from './placement.ts';
import type { Floor } from '../core/facility/schema.ts';
import { createLiveSlice, type LiveSlice } from './alarms.ts';
import { createFiguresSlice, type FiguresSlice } from './metrics.ts';
import { createCoverageSlice, type CoverageSlice } from './coverage.ts';

/** The toggleable layers, in legend order. */
export const LAYER_IDS = ['zones', 'temperature', 'volumes', 'walls', 'hvac', 'doors', 'cameras', 'frusta', 'sensors', 'labels', 'coverage'] as const;
export type LayerId = (typeof LAYER_IDS)[number];
export type Layers = Record<LayerId, boolean>;

/** Layers shown on first load. */
export const DEFAULT_LAYERS: Layers = {
  zones: true, temperature: true, volumes: true, walls: true, hvac: false, doors: true, cameras: true, frusta: false, sensors: true, labels: true, coverage: false,
};

/** Why loading failed: HTTP status (0 for a network or parse error) and a reason. */
export interface LoadError { status: number; reason: string }

export interface FacilitySlice {
  loadState: 'loading' | 'ready' | 'error';
  loadError: LoadError | null;
  index: FacilityIndex | null;
  /** Floors in elevation order. */
  floors: Floor[];
  relations: CameraZoneRelations | null;
  /** Extra lift per floor in exploded mode, m. */
  explodeGap: number;
  setFacility: (ix: FacilityIndex) => void;
  setLoadError: (e: LoadError) => void;
}

export interface ViewSlice {
  viewMode: ViewMode;
  floorMode: FloorMode;
  /** Id of the active floor. */
  activeFloor: string;
  setViewMode: (m: ViewMode) => void;
  setFloorMode: (m: FloorMode) => void;
  setActiveFloor: (id: string) => void;
}

export interface LayerSlice {
  layers: Layers;
  setLayer: (id: LayerId, on: boolean) => void;
  toggleLayer: (id: LayerId) => void;
  setLayers: (l: Layers) => void;
}

export interface SelectionSlice {
  selected: string | null;
  /** Selects an entity (null clears) and brings its floor into view. */
  select: (id: string | null) => void;
}

export interface UiSlice {
  searchOpen: boolean;
  helpOpen: boolean;
  setSearchOpen: (open: boolean) => void;
  setHelpOpen: (open: boolean) => void;
}

export type TwinState = FacilitySlice & ViewSlice & LayerSlice & SelectionSlice & UiSlice & LiveSlice & FiguresSlice & CoverageSlice;
type Slice<T> = StateCreator<TwinState, [], [], T>;

const createFacilitySlice: Slice<FacilitySlice> = (set) => ({
  loadState: 'loading', loadError: null, index: null, floors: [], relations: null, explodeGap: 0,
  setFacility: (ix) => {
    const floors = floorsByElevation(ix.facility);
    set({
      loadState: 'ready', loadError: null, index: ix, floors, relations: buildCameraZoneRelations(ix),
      explodeGap: explodeGap(ix.facility), activeFloor: floors[0]?.id ?? '', selected: null,
    });
  },
  setLoadError: (e) => set({ loadState: 'error', loadError: e }),
});

const createViewSlice: Slice<ViewSlice> = (set) => ({
  viewMode: '3d', floorMode: 'stack', activeFloor: '',
  setViewMode: (viewMode) => set({ viewMode }),
  setFloorMode: (floorMode) => set({ floorMode }),
  setActiveFloor: (activeFloor) => set({ activeFloor }),
});

const createLayerSlice: Slice<LayerSlice> = (set) => ({
  layers: { ...DEFAULT_LAYERS },
  setLayer: (id, on) => set((s) => ({ layers: { ...s.layers, [id]: on } })),
  toggleLayer: (id) => set((s) => ({ layers: { ...s.layers, [id]: !s.layers[id] } })),
  setLayers: (layers) => set({ layers }),
});

const createSelectionSlice: Slice<SelectionSlice> = (set, get) => ({
  selected: null,
  select: (id) => {
    const { index, activeFloor, floorMode, floors } = get();
    if (id === null || !index) { set({ selected: null }); return; }
    const floorId = entityFloorId(index, id);
    // Bring the entity's floor into view: make it active unless it is already drawn in full.
    let nextFloor = activeFloor;
    if (floorId && floorId !== activeFloor) {
      const at = floors.findIndex((f) => f.id === floorId), act = floors.findIndex((f) => f.id === activeFloor);
      const shown = floorMode === 'exploded' || (floorMode === 'stack' && at < act);
      if (!shown || get().viewMode === 'plan') nextFloor = floorId;
    }
    set({ selected: index.byId.has(id) ? id : null, activeFloor: nextFloor });
  },
});

const createUiSlice: Slice<UiSlice> = (set) => ({
  searchOpen: false, helpOpen: false,
  setSearchOpen: (searchOpen) => set({ searchOpen }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});

/** Index of the active floor in elevation order (-1 before loading). */
export function activeFloorIndex(s: Pick<TwinState, 'floors' | 'activeFloor'>): number {
  return s.floors.findIndex((f) => f.id === s.activeFloor);
}

/** The bound store. Read it with narrow selectors: `useTwin((s) => s.selected)`. */
export const useTwin = create<TwinState>()((...a) => ({
  ...createFacilitySlice(...a),
  ...createViewSlice(...a),
  ...createLayerSlice(...a),
  ...createSelectionSlice(...a),
  ...createUiSlice(...a),
  ...createLiveSlice(...a),
  ...createFiguresSlice(a[0], a[1]),
  ...createCoverageSlice(a[0], a[1]),
}));

/** How a floor is drawn in the current view, and the plan z its slab top is drawn at. */
export function floorPlacement(s: Pick<TwinState, 'floors' | 'activeFloor' | 'floorMode' | 'viewMode' | 'explodeGap'>, floorId: string): { display: FloorDisplay; lift: number } {
  const i = s.floors.findIndex((f) => f.id === floorId);
  if (i < 0) return { display: 'hidden', lift: 0 };
  return { display: floorDisplay(i, activeFloorIndex(s), s.floorMode, s.viewMode), lift: floorLift(s.floors, i, s.floorMode, s.explodeGap) };
}
