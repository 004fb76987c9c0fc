import type { ResourceSample } from './resource-snapshot.schema.js';
import { alertStep, downsample } from './resource-view.js';

const sample = (t: number, energy: number): ResourceSample => ({
  t,
  energy_limit: 1_000,
  energy_available: energy,
  bandwidth_limit: 600,
  bandwidth_available: 600,
  tron_power: 10,
});

describe('downsample', () => {
  it('folds samples into at most N time buckets with min and mean, skipping empty ones', () => {
    const samples = [sample(0, 900), sample(10, 100), sample(55, 500), sample(99, 300)];
    const points = downsample(samples, 0, 100, 4);
    expect(points.map((p) => p.samples)).toEqual([2, 1, 1]);
    expect(points[0]).toMatchObject({ energy_available_min: 100, energy_available_avg: 500 });
    expect(points[1]!.at).toBe(new Date(50).toISOString());
    expect(points[2]).toMatchObject({ energy_available_min: 300 });
  });

  it('leaves out samples outside the window and never answers more than N points', () => {
    const samples = Array.from({ length: 1_000 }, (_, i) => sample(i * 10, i));
    expect(downsample(samples, 0, 10_000, 48).length).toBeLessThanOrEqual(48);
    expect(downsample([sample(-1, 1), sample(100, 1)], 0, 100, 4)).toEqual([]);
  });
});

describe('alertStep (hysteresis)', () => {
  it('fires once under the floor and re-arms only above floor plus margin', () => {
    expect(alertStep('armed', 999, 5_000, 1_000, 20)).toBe('fire');
    expect(alertStep('armed', 1_000, 5_000, 1_000, 20)).toBeNull();
    expect(alertStep('fired', 100, 5_000, 1_000, 20)).toBeNull();
    expect(alertStep('fired', 1_100, 5_000, 1_000, 20)).toBeNull();
    expect(alertStep('fired', 1_200, 5_000, 1_000, 20)).toBe('recover');
  });

  it('does not watch a resource the address has no limit of, nor a floor of 0', () => {
    expect(alertStep('armed', 0, 0, 1_000, 20)).toBeNull();
    expect(alertStep('armed', 0, 5_000, 0, 20)).toBeNull();
  });
});
