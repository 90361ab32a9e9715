/** One benchmark figure with what it was measured on. */
export interface BenchResult {
  /** Scenario name, e.g. "coverage full pass 0.1 m". */
  name: string;
  /** The measured figure. */
  figure: number;
  /** Its unit, e.g. "ms", "records/s". */
  unit: string;
  /** The size of the data it was measured on, e.g. "960,000 cells, 100 cameras, 1,000 walls". */
  dataSize: string;
  /** A naive baseline measured in the same run, where a ratio is asked for. */
  baseline?: { name: string; figure: number };
  /** baseline ÷ figure (speed-up) or as the scenario states. */
  ratio?: number;
  /** The goal the figure is judged against. */
  goal?: string;
}
