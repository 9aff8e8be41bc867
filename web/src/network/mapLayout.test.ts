import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { borderPoint, columnsFor, layoutMap, NODE_HEIGHT, NODE_WIDTH, referralWidth } from './mapLayout.ts';

describe('the network map layout', () => {
  const nodes = [
    ...Array.from({ length: 13 }, (_, i) => ({ id: `hall-${i}`, group: 'city_hall' })),
    ...Array.from({ length: 4 }, (_, i) => ({ id: `npo-${i}`, group: 'commissioned' })),
    { id: 'pref', group: 'wide_area' },
    { id: 'odd', group: 'unknown_group' },
  ];
  const order = ['city_hall', 'commissioned', 'health', 'wide_area'];

  test('one box per group that has organisations, in the legend’s order, unknown groups last; empty groups get none', () => {
    const { groups } = layoutMap(nodes, order);
    assert.deepEqual(groups.map((g) => g.group), ['city_hall', 'commissioned', 'wide_area', 'unknown_group']);
  });

  test('every organisation gets a place inside its box, and no two overlap', () => {
    const { groups, positions } = layoutMap(nodes, order);
    assert.equal(positions.size, nodes.length);
    for (const n of nodes) {
      const box = groups.find((g) => g.group === n.group)!;
      const p = positions.get(n.id)!;
      assert.ok(p.x >= 0 && p.y >= 0 && p.x + NODE_WIDTH <= box.width && p.y + NODE_HEIGHT <= box.height, n.id);
    }
    const ids = [...positions.keys()];
    for (const a of ids) for (const b of ids) {
      if (a >= b) continue;
      const [ga, gb] = [nodes.find((n) => n.id === a)!.group, nodes.find((n) => n.id === b)!.group];
      if (ga !== gb) continue;
      const [pa, pb] = [positions.get(a)!, positions.get(b)!];
      assert.ok(Math.abs(pa.x - pb.x) >= NODE_WIDTH || Math.abs(pa.y - pb.y) >= NODE_HEIGHT, `${a} overlaps ${b}`);
    }
  });

  test('boxes in a row do not overlap, and the next row starts below the tallest', () => {
    const { groups } = layoutMap(nodes, order, 2);
    const [a, b, c] = [groups[0]!, groups[1]!, groups[2]!];
    assert.equal(a.y, b.y);
    assert.ok(b.x >= a.x + a.width);
    assert.ok(c.y >= Math.max(a.y + a.height, b.y + b.height));
  });

  test('at most three columns inside a box', () => {
    assert.deepEqual([1, 2, 4, 5, 9, 13, 40].map(columnsFor), [1, 2, 2, 3, 3, 3, 3]);
  });

  test('edges start at the border facing the other box', () => {
    const a = { x: 0, y: 0, width: 100, height: 50 };
    assert.deepEqual(borderPoint(a, { x: 300, y: 0, width: 100, height: 50 }), { x: 100, y: 25 });
    assert.deepEqual(borderPoint(a, { x: 0, y: 200, width: 100, height: 50 }), { x: 50, y: 50 });
  });

  test('referral edges widen with the number of referrals, slowly and up to a limit', () => {
    assert.equal(referralWidth(0), 0);
    assert.equal(referralWidth(1), 2);
    assert.ok(referralWidth(8) > referralWidth(2));
    assert.equal(referralWidth(1_000_000), 12);
  });
});
