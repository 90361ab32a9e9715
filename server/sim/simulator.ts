// The demo plant's simulator: deterministic from a seed and physically
// plausible. Zone temperatures are held by their HVAC unit and drift out of
// spec when it trips; doors follow shifts; anomalies and camera outages are
// injected at realistic rates; simulated operators answer the alarms that
// the real alarm engine raises. Its actions are marked `by: "sim:…"`.
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import type { Door, Sensor, Zone } from '../../src/core/facility/schema.ts';
import type { AlarmKind, EventRecord, TelemetryRecord, TwinRecord } from '../../src/core/records.ts';
import { Agenda, Rng } from './random.ts';

/** An alarm the caller's alarm engine raised from records the simulator emitted. */
export interface RaisedAlarm { id: string; kind: AlarmKind; onset: number }

/** Runs the records through the alarm engine up to `nowMs` and returns alarms raised. */
export type AlarmDetector = (records: readonly TwinRecord[], nowMs: number) => RaisedAlarm[];

export interface SimOptions {
  /** Seed of every random choice; default 1. */
  seed?: number;
  /** Interval between two readings of one sensor, ms; default 60 000. */
  telemetryIntervalMs?: number;
  /** Finds raised alarms so simulated operators can answer them; none when absent. */
  detectAlarms?: AlarmDetector;
  /** Scales anomaly rates (1 = the defaults below). */
  anomalyScale?: number;
}

const S = 1000, MIN = 60 * S, HOUR = 60 * MIN, DAY = 24 * HOUR;
/** Internal step between alarm-engine checks, ms; smaller than any operator delay. */
const STEP_MS = 5 * S;

/** Anomalies per day across the plant at anomalyScale 1. */
const RATES_PER_DAY = { forced: 1.2, held: 2.5, deniedBurst: 0.8, singleDenial: 4, afterHours: 0.6, cameraOutage: 0.5, hvacTripPerUnit: 0.2 };

interface ZoneThermal { zone: Zone; setpoint: number; T: number; at: number; tripped: boolean; ambientRise: number; tauRunMin: number }

type Action = () => void;

export class PlantSimulator {
  private readonly rng: Rng;
  private readonly agenda = new Agenda<Action>();
  private readonly out: TwinRecord[] = [];
  private readonly thermal = new Map<string, ZoneThermal>();
  private readonly tripped = new Set<string>();
  private readonly doorOpen = new Set<string>();
  private readonly lastAccess = new Map<string, number>();
  private readonly lastDenial = new Map<string, number>();
  private readonly readerDoors: Door[];
  private readonly criticalDoors: Door[];
  private readonly badges: string[];
  private readonly bias = new Map<string, number>();
  private readonly localCache = new Map<number, { weekday: number; minutes: number }>();
  private readonly fmt: Intl.DateTimeFormat;
  private readonly interval: number;
  private readonly scale: number;
  private readonly detect: AlarmDetector | undefined;
  private t: number;

  constructor(private readonly ix: FacilityIndex, startMs: number, opts: SimOptions = {}) {
    this.rng = new Rng(opts.seed ?? 1);
    this.t = startMs;
    this.interval = opts.telemetryIntervalMs ?? MIN;
    this.scale = opts.anomalyScale ?? 1;
    this.detect = opts.detectAlarms;
    this.fmt = new Intl.DateTimeFormat('en-GB', { timeZone: ix.facility.timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const doors = [...ix.doors.values()].map((d) => d.door);
    this.readerDoors = doors.filter((d) => d.reader);
    this.criticalDoors = this.readerDoors.filter((d) => d.zones.some((z) => ix.zones.get(z)?.zone.critical));
    this.badges = Array.from({ length: 240 }, (_, i) => `B-${(1001 + i).toString()}`);

    const init = this.rng.fork('init');
    for (const { zone } of ix.zones.values()) {
      const setpoint = zone.temperature?.setpoint ?? (zone.kind === 'warehouse' ? 18 : zone.kind === 'loading-dock' ? 14 : 21);
      const tauRunMin = zone.temperature ? 12 : 40;
      const ambientRise = zone.kind === 'server-room' ? 14 : zone.kind === 'cleanroom' ? 7 : 4;
      this.thermal.set(zone.id, { zone, setpoint, T: setpoint + init.normal() * 0.2, at: startMs, tripped: false, ambientRise, tauRunMin });
    }
    for (const id of ix.sensorIds) this.bias.set(id, init.normal() * 0.08);

    // Telemetry: each sensor on its own phase within the interval.
    const phase = this.rng.fork('phase');
    for (const id of ix.sensorIds) {
      const sensor = ix.sensors.get(id)!.sensor;
      const first = startMs + Math.floor(phase.next() * this.interval);
      this.every(first, this.interval, () => this.read(sensor));
    }
    this.scheduleTraffic();
    this.scheduleAnomalies();
  }

  /** The simulated clock, epoch ms. */
  get now(): number { return this.t; }

  /** Emits every record with `ts` in [now, untilMs), in `ts` order, and moves the clock there. */
  advanceTo(untilMs: number): TwinRecord[] {
    const emitted: TwinRecord[] = [];
    while (this.t < untilMs) {
      const stepEnd = Math.min(untilMs, this.t + STEP_MS);
      while (this.agenda.peekTime() < stepEnd) {
        const next = this.agenda.pop()!;
        this.t = Math.max(this.t, next.at);
        next.item();
      }
      this.t = stepEnd;
      const batch = this.out.splice(0);
      batch.sort((a, b) => a.ts - b.ts);
      if (this.detect) for (const alarm of this.detect(batch, stepEnd)) this.answer(alarm);
      for (const r of batch) emitted.push(r);
    }
    return emitted;
  }

  // ── scheduling ──────────────────────────────────────────────────────────
  private at(ts: number, action: Action): void {
    this.agenda.push(Math.round(ts), action);
  }

  private every(first: number, period: number, action: Action): void {
    const tick = (ts: number) => this.at(ts, () => { action(); tick(ts + period); });
    tick(first);
  }

  /** A Poisson process of `perDay` mean rate, thinned by `weight(ts)` in [0, 1]. */
  private poisson(label: string, perDay: number, fire: (ts: number, rng: Rng) => void, weight: (ts: number) => number = () => 1): void {
    if (perDay <= 0) return;
    const rng = this.rng.fork(label);
    const next = (from: number) => {
      const ts = Math.round(from + rng.exp(DAY / perDay));
      this.at(ts, () => {
        if (rng.next() < weight(ts)) fire(ts, rng);
        next(ts);
      });
    };
    next(this.t);
  }

  private emit(r: TwinRecord): void {
    this.out.push(r);
  }

  private event(e: EventRecord): void {
    if (e.ts < this.t) throw new Error(`Twinspace sim: event ${e.type} at ${e.ts} is before the clock ${this.t}`);
    this.at(e.ts, () => this.emit(e));
  }

  // ── local time ──────────────────────────────────────────────────────────
  /** ISO weekday (1 = Monday) and minutes since local midnight, cached per minute. */
  private local(ts: number): { weekday: number; minutes: number } {
    const key = Math.floor(ts / MIN);
    let v = this.localCache.get(key);
    if (!v) {
      const parts = this.fmt.formatToParts(ts);
      const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
      v = { weekday: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(get('weekday')) + 1, minutes: Number(get('hour')) * 60 + Number(get('minute')) };
      if (this.localCache.size > 50_000) this.localCache.clear();
      this.localCache.set(key, v);
    }
    return v;
  }

  private inBusinessHours(ts: number): boolean {
    const bh = this.ix.facility.businessHours;
    if (!bh) return true;
    const { weekday, minutes } = this.local(ts);
    const hm = (s: string) => Number(s.slice(0, 2)) * 60 + Number(s.slice(3, 5));
    return bh.days.includes(weekday) && minutes >= hm(bh.start) && minutes < hm(bh.end);
  }

  // ── physics ─────────────────────────────────────────────────────────────
  private zoneTemperature(id: string, ts: number): number {
    const th = this.thermal.get(id)!;
    const { minutes } = this.local(ts);
    const load = Math.sin(((minutes - 9 * 60) / 1440) * 2 * Math.PI); // warmest mid-afternoon
    const target = th.tripped ? th.setpoint + th.ambientRise + load : th.setpoint + (th.zone.temperature ? 0.35 : 1.5) * load;
    const tau = (th.tripped ? 35 : th.tauRunMin) * MIN;
    th.T = target + (th.T - target) * Math.exp(-(ts - th.at) / tau);
    th.at = ts;
    return th.T;
  }

  private unitRunning(unitId: string | undefined): boolean {
    return unitId === undefined || !this.tripped.has(unitId);
  }

  private occupancy(zone: Zone, ts: number): number {
    const { minutes, weekday } = this.local(ts);
    const day = weekday <= 5 && minutes >= 7 * 60 && minutes < 19 * 60;
    const base = zone.kind === 'office' ? (day ? 12 : 0) : zone.kind === 'cleanroom' ? (day ? 4 : 1) : zone.kind === 'production' ? (day ? 10 : 4) : day ? 3 : 1;
    return Math.max(0, Math.round(base + this.rng.normal() * Math.sqrt(base + 0.5)));
  }

  private read(sensor: Sensor): void {
    const ts = this.t;
    const noise = this.rng.normal();
    const units = this.ix.hvacByZone.get(sensor.zone) ?? [];
    const unitId = sensor.hvacUnit ?? units[0]?.id;
    const running = this.unitRunning(unitId);
    const zone = this.ix.zones.get(sensor.zone)!.zone;
    let value: number;
    switch (sensor.kind) {
      case 'temperature':
        value = this.zoneTemperature(sensor.zone, ts) + this.bias.get(sensor.id)! + noise * 0.05;
        break;
      case 'humidity':
        value = (zone.kind === 'cleanroom' ? 42 : 48) + (running ? 0 : 9) + noise * 1.2;
        break;
      case 'differential-pressure': {
        const iso = zone.isoClass ?? 9;
        value = running ? Math.max(5, 60 - 6 * iso) + noise * 0.8 : 1.5 + noise * 0.5;
        break;
      }
      case 'co2':
        value = 420 + 38 * this.occupancy(zone, ts) + noise * 12;
        break;
      case 'occupancy':
        value = this.occupancy(zone, ts);
        break;
      case 'power': {
        const it = zone.kind === 'server-room' && sensor.hvacUnit === undefined;
        value = it ? 42 + noise * 1.5 : running ? 18 + 4 * Math.sin(ts / (6 * HOUR)) + noise * 0.6 : 0.4 + Math.abs(noise) * 0.1;
        break;
      }
      case 'airflow':
        value = running ? 9000 + noise * 120 : 0;
        break;
      case 'fan-status':
        value = running ? 1 : 0;
        break;
      default:
        value = 50 + noise;
    }
    const rec: TelemetryRecord = { ts, sensor: sensor.id, value: Math.round(value * 100) / 100 };
    this.emit(rec);
  }

  // ── traffic ─────────────────────────────────────────────────────────────
  private scheduleTraffic(): void {
    const doors = [...this.ix.doors.values()].map((d) => d.door);
    for (const door of doors) {
      const critical = this.criticalDoors.includes(door);
      const peak = door.reader ? (critical ? 10 : 6) : 8; // passages per hour at the busiest
      this.poisson(`traffic:${door.id}`, peak * 24 * 1.6, (ts, rng) => this.passage(door, ts, rng), (ts) => {
        const business = this.inBusinessHours(ts);
        if (critical) return business ? 0.6 : 0; // after-hours access to critical zones only as an anomaly
        const { minutes } = this.local(ts);
        const shiftChange = [6 * 60, 14 * 60, 22 * 60].some((m) => Math.abs(minutes - m) < 20);
        return shiftChange ? 1 : business ? 0.5 : 0.12;
      });
    }
  }

  private passage(door: Door, ts: number, rng: Rng, badge = rng.pick(this.badges)): void {
    if (this.doorOpen.has(door.id)) return;
    const exit = door.reader && rng.chance(0.3);
    if (door.reader) {
      this.event(exit ? { ts, type: 'access.rex', door: door.id } : { ts, type: 'access.granted', door: door.id, badge });
      this.lastAccess.set(door.id, ts);
    }
    const open = ts + rng.range(800, 3000);
    const close = open + rng.range(3000, Math.min(9000, door.heldOpenSeconds * 500));
    this.openDoor(door, open, close);
  }

  private openDoor(door: Door, open: number, close: number): void {
    this.doorOpen.add(door.id);
    this.event({ ts: Math.round(open), type: 'door.opened', door: door.id });
    this.event({ ts: Math.round(close), type: 'door.closed', door: door.id });
    this.at(close, () => this.doorOpen.delete(door.id));
  }

  // ── anomalies ───────────────────────────────────────────────────────────
  private scheduleAnomalies(): void {
    const k = this.scale;
    const readers = this.readerDoors;
    if (readers.length > 0) {
      this.poisson('forced', RATES_PER_DAY.forced * k, (ts, rng) => {
        const door = rng.pick(readers);
        if (this.doorOpen.has(door.id) || ts - (this.lastAccess.get(door.id) ?? -Infinity) < 15 * S) return;
        this.openDoor(door, ts, ts + rng.range(4, Math.min(25, door.heldOpenSeconds - 2)) * S);
      });
      this.poisson('held', RATES_PER_DAY.held * k, (ts, rng) => {
        // Outside business hours a critical door would raise after-hours first: hold only the others then.
        const candidates = readers.filter((d) => !this.criticalDoors.includes(d) || this.inBusinessHours(ts));
        if (candidates.length === 0) return;
        const door = rng.pick(candidates);
        if (this.doorOpen.has(door.id)) return;
        this.event({ ts, type: 'access.granted', door: door.id, badge: rng.pick(this.badges) });
        this.lastAccess.set(door.id, ts);
        const open = ts + 1500;
        this.openDoor(door, open, open + (door.heldOpenSeconds + rng.logNormal(90, 0.9)) * S);
      });
      const denial = (door: Door, ts: number, badge: string) => {
        this.event({ ts: Math.round(ts), type: 'access.denied', door: door.id, badge });
        this.lastDenial.set(door.id, ts);
      };
      this.poisson('denied-burst', RATES_PER_DAY.deniedBurst * k, (ts, rng) => {
        const door = rng.pick(readers);
        if (ts - (this.lastDenial.get(door.id) ?? -Infinity) < 70 * S) return;
        const badge = rng.pick(this.badges);
        const tries = rng.int(3, 5);
        for (let i = 0; i < tries; i++) denial(door, ts + i * rng.range(5, 9) * S, badge);
      });
      this.poisson('single-denial', RATES_PER_DAY.singleDenial * k, (ts, rng) => {
        const door = rng.pick(readers);
        if (ts - (this.lastDenial.get(door.id) ?? -Infinity) < 70 * S) return;
        denial(door, ts, rng.pick(this.badges));
      });
    }
    if (this.criticalDoors.length > 0) {
      this.poisson('after-hours', RATES_PER_DAY.afterHours * k, (ts, rng) => {
        this.passage(rng.pick(this.criticalDoors), ts, rng);
      }, (ts) => (this.inBusinessHours(ts) ? 0 : 1));
    }
    const cameras = [...this.ix.cameras.keys()];
    const offline = new Set<string>();
    if (cameras.length > 0) {
      this.poisson('camera-outage', RATES_PER_DAY.cameraOutage * k, (ts, rng) => {
        const camera = rng.pick(cameras);
        if (offline.has(camera)) return;
        offline.add(camera);
        const back = ts + rng.logNormal(20 * MIN, 1);
        this.event({ ts, type: 'camera.offline', camera });
        this.event({ ts: Math.round(back), type: 'camera.online', camera });
        this.at(back, () => offline.delete(camera));
      });
    }
    for (const unit of this.ix.facility.hvacUnits) {
      this.poisson(`trip:${unit.id}`, RATES_PER_DAY.hvacTripPerUnit * k, (ts, rng) => {
        if (this.tripped.has(unit.id)) return;
        this.setTripped(unit.id, true, ts);
        this.at(ts + rng.logNormal(35 * MIN, 0.6), () => this.setTripped(unit.id, false, this.t));
      });
    }
  }

  private setTripped(unitId: string, tripped: boolean, ts: number): void {
    const unit = this.ix.hvacUnits.get(unitId);
    if (!unit) return;
    for (const z of unit.serves) {
      this.zoneTemperature(z, ts); // settle the curve up to the change
      const th = this.thermal.get(z);
      if (th) th.tripped = tripped;
    }
    if (tripped) this.tripped.add(unitId); else this.tripped.delete(unitId);
  }

  // ── operators ───────────────────────────────────────────────────────────
  private answer(alarm: RaisedAlarm): void {
    const rng = this.rng.fork(alarm.id);
    if (rng.chance(0.04)) return; // never picked up: shows as unacknowledged
    const night = !this.inBusinessHours(alarm.onset);
    const by = `sim:operator-${night ? 3 : rng.int(1, 2)}`;
    const tta = Math.max(8 * S, rng.logNormal((night ? 90 : 40) * S, 0.8));
    const ack = Math.max(this.t + S, alarm.onset + tta);
    const falseRate = { 'door-held': 0.8, 'door-forced': 0.55, 'denied-burst': 0.5, 'after-hours': 0.7 }[alarm.kind];
    const resolve = ack + rng.logNormal(6 * MIN, 0.7);
    this.event({ ts: Math.round(ack), type: 'alarm.acknowledged', alarm: alarm.id, by });
    this.event({
      ts: Math.round(resolve), type: 'alarm.resolved', alarm: alarm.id, by,
      outcome: rng.chance(falseRate) ? 'false-alarm' : 'genuine',
      note: `simulated ${alarm.kind} handling`,
    });
  }
}
