// What the nodes of a cluster tell each other besides what their clients
// get. Server-side events go over the Redis adapter's pub/sub: not stored,
// not replayed, latest wins. The leader's fold marks go the other way, as a
// broadcast to a room no socket joins, so they travel in the same ordered
// Redis stream as the state changes they mark (server/cluster/node.ts).
import type { FoldMark } from '../ingest/pipeline.ts';

/** Readings committed at one node, for the other nodes' frames: `encodeFrame` layout (slot, value, time). */
export interface ReadingsRelay {
  facility: string;
  /** Sensors in the sender's facility model: slots mean the same only between nodes that run the same model. */
  sensors: number;
  n: number;
  data: Uint8Array | ArrayBuffer;
}

/** Times of the records a node received and has not committed yet (ascending, at most HOLD_TIMES_MAX): the leader's fold waits for them. */
export interface Hold { node: string; times: number[] }

/** A node without the leader's state asks for it. */
export interface StateRequest { from: string }

/** The leader's answer: its whole state as JSON (ids are facility data; JSON.parse keeps `__proto__` an own key). */
export interface StateReply { to: string; leader: string; state: string }

/** A point of the leader's fold, in the stream after the changes it covers. */
export interface ClusterMark extends FoldMark { node: string }

/** Socket.IO server-side events between nodes. */
export interface ClusterEvents {
  'cluster:readings': (r: ReadingsRelay) => void;
  'cluster:hold': (h: Hold) => void;
  'cluster:state-request': (r: StateRequest) => void;
  'cluster:state': (r: StateReply) => void;
}

/** The room marks are broadcast to; no socket ever joins it, so no client gets them and recovery never replays them. */
export const CLUSTER_ROOM = 'twinspace:cluster';
/** Event name of a fold mark. */
export const MARK_EVENT = 'cluster:mark';
