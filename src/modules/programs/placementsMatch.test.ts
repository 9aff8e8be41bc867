import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { addMonths, rankPlacements, type MatchPlacement, type MatchPreferences, type Verdict } from './placementsMatch.ts';

const placement = (over: Partial<MatchPlacement> = {}): MatchPlacement => ({
  id: 'p1', name: '受け入れ先', tasks: ['清掃', 'データ入力'], hoursMin: 4, hoursMax: 10, days: ['mon', 'wed'], areaId: 'a1',
  supportOffered: ['job_coach', 'fixed_mentor'], capacity: 2, occupied: 0, ...over,
});
const prefs = (over: Partial<MatchPreferences> = {}): MatchPreferences => ({
  hoursMin: 3, hoursMax: 8, days: ['mon'], tasks: ['データ入力'], areaId: 'a1', maxTravelMinutes: null, travelMinutes: {}, supportNeeded: ['job_coach'], ...over,
});
const neighbours = new Map([['a1', new Set(['a2'])]]);
const verdict = (p: MatchPlacement, w: MatchPreferences, aspect: string): Verdict =>
  rankPlacements([p], w, neighbours)[0].reasons.find((r) => r.aspect === aspect)!.verdict;

describe('ranking placements against work preferences', () => {
  const cases: [string, Partial<MatchPlacement>, Partial<MatchPreferences>, string, Verdict][] = [
    ['hours that overlap fit', {}, {}, 'hours', 'fits'],
    ['a placement asking more hours than the person can give misses', { hoursMin: 20, hoursMax: 30 }, {}, 'hours', 'misses'],
    ['fewer hours than wished fit partly', { hoursMin: 1, hoursMax: 2 }, {}, 'hours', 'partly'],
    ['no hours given on either side is unknown', { hoursMin: null, hoursMax: null }, {}, 'hours', 'unknown'],
    ['a common day fits', {}, {}, 'days', 'fits'],
    ['no common day misses', { days: ['fri'] }, {}, 'days', 'misses'],
    ['a task of interest fits, whatever the width of the characters', { tasks: ['ﾃﾞｰﾀ入力'] }, {}, 'tasks', 'fits'],
    ['no task of interest misses', { tasks: ['調理'] }, {}, 'tasks', 'misses'],
    ['the same area fits', {}, {}, 'place', 'fits'],
    ['a neighbouring area fits partly', { areaId: 'a2' }, {}, 'place', 'partly'],
    ['neighbours count both ways', { areaId: 'a1' }, { areaId: 'a2' }, 'place', 'partly'],
    ['another area misses', { areaId: 'a3' }, {}, 'place', 'misses'],
    ['travel minutes within the maximum fit, even in another area', { areaId: 'a3' }, { maxTravelMinutes: 30, travelMinutes: { p1: 25 } }, 'place', 'fits'],
    ['travel minutes over the maximum miss, even in the same area', {}, { maxTravelMinutes: 30, travelMinutes: { p1: 45 } }, 'place', 'misses'],
    ['no area known is unknown', { areaId: null }, {}, 'place', 'unknown'],
    ['all support needed is offered', {}, {}, 'support', 'fits'],
    ['some support needed is offered', {}, { supportNeeded: ['job_coach', 'accompaniment'] }, 'support', 'partly'],
    ['none of the support needed is offered', { supportOffered: [] }, {}, 'support', 'misses'],
    ['a place left fits', { capacity: 2, occupied: 1 }, {}, 'places', 'fits'],
    ['no place left misses', { capacity: 2, occupied: 2 }, {}, 'places', 'misses'],
  ];
  for (const [name, p, w, aspect, expected] of cases)
    test(name, () => assert.equal(verdict(placement(p), prefs(w), aspect), expected));

  test('placements that fit come first, then by score, then by name', () => {
    const ranked = rankPlacements([
      placement({ id: 'full', name: '満員', capacity: 1, occupied: 1 }),
      placement({ id: 'near', name: '隣', areaId: 'a2' }),
      placement({ id: 'same', name: '同じ' }),
      placement({ id: 'far', name: '遠い', areaId: 'a9' }),
    ], prefs(), neighbours);
    assert.deepEqual(ranked.map((r) => [r.placementId, r.fits]), [['same', true], ['near', true], ['far', false], ['full', false]]);
    assert.equal(ranked[0].score, 100);
    assert.deepEqual(ranked[3].reasons.find((r) => r.aspect === 'places')!.detail, { left: 0, capacity: 1 });
  });
});

describe('check-in dates', () => {
  const cases: [string, number, string][] = [
    ['2026-06-15', 1, '2026-07-15'], ['2026-01-31', 1, '2026-02-28'], ['2026-08-31', 6, '2027-02-28'], ['2026-11-30', 3, '2027-02-28'], ['2028-01-31', 1, '2028-02-29'],
  ];
  for (const [from, n, expected] of cases) test(`${n} month(s) after ${from} is ${expected}`, () => assert.equal(addMonths(from, n), expected));
});
