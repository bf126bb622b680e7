/** The commune choropleths against a recording stand-in for MapLibre: the fill per mode and the feature states written. */
import { describe, expect, it } from 'vitest';
import type { CommuneRisk } from '../../shared/communeRisk';
import { RISK_LEVELS } from '../../shared/disasterRisk';
import type { CommuneEnv } from '../../shared/environment';
import type { CommuneFire } from '../../shared/fireDanger';
import { makeCommune, makeCommuneFire, makeCommuneRisk } from '../test-support/fixtures';
import { FIRE_LEVELS } from './fireStyles';
import { CHOROPLETH_FILL, Choropleth, type ChoroplethData, type ChoroplethMap } from './choropleth';
import { CHOROPLETH_LAYER } from './mapStyle';

function fakeMap() {
  const calls = { layout: [] as unknown[][], paint: [] as unknown[][], states: [] as { id: string; state: Record<string, unknown> }[] };
  const fake = {
    getLayer: (id: string) => (id === CHOROPLETH_LAYER ? {} : undefined),
    setLayoutProperty: (...a: unknown[]) => {
      calls.layout.push(a);
      return fake;
    },
    setPaintProperty: (...a: unknown[]) => {
      calls.paint.push(a);
      return fake;
    },
    setFeatureState: (f: { id?: string | number }, state: Record<string, unknown>) => {
      calls.states.push({ id: String(f.id), state });
      return fake;
    },
  };
  return { map: fake as unknown as ChoroplethMap, calls };
}

function data(risk: CommuneRisk[], riskVersion: number, communes: CommuneEnv[] = [], communeVersion = 1): ChoroplethData {
  return {
    communes: new Map(communes.map((c) => [c.code, c])),
    communeVersion,
    risk: new Map(risk.map((c) => [c.code, c])),
    riskVersion,
    fire: new Map(),
    fireVersion: 0,
  };
}

function fireData(fire: CommuneFire[], fireVersion: number, risk: CommuneRisk[] = []): ChoroplethData {
  return { ...data(risk, 1), fire: new Map(fire.map((c) => [c.code, c])), fireVersion };
}

describe('Choropleth: disaster risk levels', () => {
  it('fills by risk level in the official colours, level 0 (below level 1) left transparent', () => {
    const fill = JSON.stringify(CHOROPLETH_FILL.communeRisk);
    expect(fill).toContain('"riskLevel"');
    for (const l of RISK_LEVELS) expect(fill).toContain(`${l.level},"${l.hex}"`);
    // ['match', …, 1, c1, …, 5, c5, NONE]: no pair for 0, so 0 takes the transparent fallback.
    expect(CHOROPLETH_FILL.communeRisk.at(-1)).toBe('rgba(0,0,0,0)');
    expect(fill).not.toContain('0,"#');
  });

  it('shows the fill with the risk colours in its mode and hides it in a station mode', () => {
    const { map, calls } = fakeMap();
    const ch = new Choropleth(map);
    ch.update('communeRisk', data([], 0));
    expect(calls.layout.at(-1)).toEqual([CHOROPLETH_LAYER, 'visibility', 'visible']);
    expect(calls.paint.at(-1)).toEqual([CHOROPLETH_LAYER, 'fill-color', CHOROPLETH_FILL.communeRisk]);
    ch.update('communeRain', data([], 0));
    expect(calls.paint.at(-1)).toEqual([CHOROPLETH_LAYER, 'fill-color', CHOROPLETH_FILL.communeRain]);
    ch.update('air', data([], 0));
    expect(calls.layout.at(-1)).toEqual([CHOROPLETH_LAYER, 'visibility', 'none']);
  });

  it('writes each commune level once, again only when it changed, and clears communes a snapshot no longer has', () => {
    const { map, calls } = fakeMap();
    const ch = new Choropleth(map);
    const a = makeCommuneRisk({ code: '21025', level: 0 });
    const b = makeCommuneRisk({ code: '21028', level: 3 });
    ch.update('communeRisk', data([a, b], 1, [makeCommune({ code: '21025', band: 2 })]));
    const riskStates = () => calls.states.filter((s) => 'riskLevel' in s.state);
    expect(riskStates()).toEqual([
      { id: '21025', state: { riskLevel: 0 } },
      { id: '21028', state: { riskLevel: 3 } },
    ]);
    // The env aggregates are written apart: a risk state never overwrites the AQI band.
    expect(calls.states.find((s) => 'aqiBand' in s.state)).toEqual({ id: '21025', state: { aqiBand: 2, rainClass: 0 } });

    calls.states.length = 0;
    ch.update('communeRisk', data([a, b], 1));
    expect(calls.states).toEqual([]);
    ch.update('communeRisk', data([a, { ...b, rain24h: 260 }], 2));
    expect(calls.states).toEqual([]);
    ch.update('communeRisk', data([a, { ...b, level: 4 }], 3));
    expect(calls.states).toEqual([{ id: '21028', state: { riskLevel: 4 } }]);

    calls.states.length = 0;
    ch.update('communeRisk', data([], 4));
    expect(calls.states).toEqual([
      { id: '21025', state: { riskLevel: 0 } },
      { id: '21028', state: { riskLevel: 0 } },
    ]);
  });
});

describe('Choropleth: forest fire danger levels', () => {
  it('fills by fire level in the fire sign colours, communes without forest or a step yet left transparent', () => {
    const fill = JSON.stringify(CHOROPLETH_FILL.communeFire);
    expect(fill).toContain('"fireLevel"');
    for (const l of FIRE_LEVELS) expect(fill).toContain(`${l.level},"${l.hex}"`);
    expect(CHOROPLETH_FILL.communeFire.at(-1)).toBe('rgba(0,0,0,0)');
    expect(fill).not.toContain('0,"#');
  });

  it('shows the fill with the fire colours in its mode', () => {
    const { map, calls } = fakeMap();
    const ch = new Choropleth(map);
    ch.update('communeFire', fireData([], 0));
    expect(calls.layout.at(-1)).toEqual([CHOROPLETH_LAYER, 'visibility', 'visible']);
    expect(calls.paint.at(-1)).toEqual([CHOROPLETH_LAYER, 'fill-color', CHOROPLETH_FILL.communeFire]);
    ch.update('communeRisk', fireData([], 0));
    expect(calls.paint.at(-1)).toEqual([CHOROPLETH_LAYER, 'fill-color', CHOROPLETH_FILL.communeRisk]);
  });

  it('writes each shown level once (0 before the first step), again only when it changed, apart from the risk level', () => {
    const { map, calls } = fakeMap();
    const ch = new Choropleth(map);
    const a = makeCommuneFire({ code: '21025', level: 1, day: null, p: 0 });
    const b = makeCommuneFire({ code: '21028', level: 4, p: 6400 });
    ch.update('communeFire', fireData([a, b], 1, [makeCommuneRisk({ code: '21028', level: 2 })]));
    const fireStates = () => calls.states.filter((s) => 'fireLevel' in s.state);
    expect(fireStates()).toEqual([
      { id: '21025', state: { fireLevel: 0 } },
      { id: '21028', state: { fireLevel: 4 } },
    ]);
    // The risk level is written apart: a fire state never overwrites it.
    expect(calls.states.find((s) => 'riskLevel' in s.state)).toEqual({ id: '21028', state: { riskLevel: 2 } });

    calls.states.length = 0;
    ch.update('communeFire', fireData([a, { ...b, p: 6900, dryDays: 9 }], 2));
    expect(calls.states).toEqual([]);
    ch.update('communeFire', fireData([{ ...a, day: '2026-03-11', p: 200 }, { ...b, level: 5, p: 10400 }], 3));
    expect(calls.states).toEqual([
      { id: '21025', state: { fireLevel: 1 } },
      { id: '21028', state: { fireLevel: 5 } },
    ]);

    calls.states.length = 0;
    ch.update('communeFire', fireData([], 4));
    expect(calls.states).toEqual([
      { id: '21025', state: { fireLevel: 0 } },
      { id: '21028', state: { fireLevel: 0 } },
    ]);
  });
});
