/**
 * Where the network map puts things: one box per group of organisations
 * (inside city hall, commissioned, health …), the boxes in rows, the
 * organisations in a small grid inside their box. Deterministic, so the same
 * network always gives the same picture and people find things where they
 * left them. Pure: no DOM, tested with node.
 */

export const NODE_WIDTH = 176;
export const NODE_HEIGHT = 64;
const GAP = 20;
const PAD = 16;
/** Room for the group's title above its first row. */
const TITLE = 34;
const GROUP_GAP = 48;

export interface LayoutInput {
  id: string;
  group: string;
}

export interface GroupBox {
  group: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface MapLayout {
  groups: GroupBox[];
  /** Each node's position inside its group box (top-left corner). */
  positions: Map<string, { x: number; y: number }>;
}

/** Columns of organisations inside one group: 1 for a single one, up to 3. */
export function columnsFor(n: number): number {
  return Math.min(3, Math.max(1, Math.ceil(Math.sqrt(n))));
}

/**
 * Lays out the groups that have organisations, in `order`, `perRow` boxes to
 * a row; a row is as tall as its tallest box.
 */
export function layoutMap(nodes: readonly LayoutInput[], order: readonly string[], perRow = 3): MapLayout {
  const members = new Map<string, LayoutInput[]>();
  for (const n of nodes) members.set(n.group, [...(members.get(n.group) ?? []), n]);
  const present = [...order.filter((g) => members.has(g)), ...[...members.keys()].filter((g) => !order.includes(g))];

  const positions = new Map<string, { x: number; y: number }>();
  const sized = present.map((group) => {
    const list = members.get(group)!;
    const cols = columnsFor(list.length);
    const rows = Math.ceil(list.length / cols);
    list.forEach((n, i) => positions.set(n.id, {
      x: PAD + (i % cols) * (NODE_WIDTH + GAP),
      y: TITLE + Math.floor(i / cols) * (NODE_HEIGHT + GAP),
    }));
    return { group, width: PAD * 2 + cols * NODE_WIDTH + (cols - 1) * GAP, height: TITLE + rows * NODE_HEIGHT + (rows - 1) * GAP + PAD };
  });

  const groups: GroupBox[] = [];
  let y = 0;
  for (let i = 0; i < sized.length; i += perRow) {
    const row = sized.slice(i, i + perRow);
    let x = 0;
    for (const box of row) {
      groups.push({ ...box, x, y });
      x += box.width + GROUP_GAP;
    }
    y += Math.max(...row.map((b) => b.height)) + GROUP_GAP;
  }
  return { groups, positions };
}

/** An edge's width for a number of referrals: 2 px for one, growing with the logarithm so a busy pair does not hide the rest. */
export function referralWidth(count: number): number {
  return count <= 0 ? 0 : Math.min(12, 2 + 2.5 * Math.log2(count));
}

/**
 * Where a straight line from the centre of rectangle `a` towards the centre
 * of `b` leaves `a`: so that an edge starts and ends at the boxes' borders,
 * whichever side faces the other box.
 */
export function borderPoint(a: { x: number; y: number; width: number; height: number }, b: { x: number; y: number; width: number; height: number }): { x: number; y: number } {
  const ax = a.x + a.width / 2;
  const ay = a.y + a.height / 2;
  const dx = b.x + b.width / 2 - ax;
  const dy = b.y + b.height / 2 - ay;
  if (dx === 0 && dy === 0) return { x: ax, y: ay };
  const scale = Math.min(dx === 0 ? Infinity : a.width / 2 / Math.abs(dx), dy === 0 ? Infinity : a.height / 2 / Math.abs(dy));
  return { x: ax + dx * scale, y: ay + dy * scale };
}
