import { request } from '../api.ts';

/** The network as a graph (GET /api/network/map, src/modules/network/map.ts). */
export const MAP_GROUPS = ['city_hall', 'commissioned', 'health', 'school', 'community', 'wide_area', 'other'] as const;
export type MapGroup = (typeof MAP_GROUPS)[number];
export const EDGE_KINDS = ['commission', 'co_ownership', 'meeting', 'route', 'referral'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface MapNode {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  group: MapGroup;
  internal: boolean;
  hub: boolean;
}

export interface MapEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  directed: boolean;
  labels: string[];
  referrals: number;
}

export interface NetworkMapData {
  groups: MapGroup[];
  nodes: MapNode[];
  edges: MapEdge[];
}

export const getNetworkMap = (signal?: AbortSignal) => request<NetworkMapData>('GET', '/api/network/map', { signal });
